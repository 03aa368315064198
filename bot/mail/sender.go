package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SenderConfig is what the acknowledgement sender needs.
type SenderConfig struct {
	// URL is smtps://user@host:465, smtp://user@host:587 (STARTTLS
	// required) or smtp+plain://host:25 (no TLS: a local relay); the user
	// may be left out for a relay that takes mail without login.
	URL      string
	Password string
	// From is the sender's address (default: the URL's user when it is an
	// address).
	From      string
	TLSConfig *tls.Config
}

// Sender is the "email" platform of the Hub: it delivers notices to
// commands.ToEmail recipients (the acknowledgements) by SMTP. Title is the
// subject, Lines the body.
type Sender struct {
	cfg      SenderConfig
	addr     string
	tls      bool
	starttls bool
	user     string
	host     string
}

// NewSender checks the configuration.
func NewSender(cfg SenderConfig) (*Sender, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil {
		// url.Error repeats the URL, and with it a password typed there.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("CABINET_SMTP_URL cannot be read: %w", err)
	}
	s := &Sender{cfg: cfg, addr: u.Host, host: u.Hostname()}
	switch u.Scheme {
	case "smtps":
		s.tls = true
		if u.Port() == "" {
			s.addr += ":465"
		}
	case "smtp":
		s.starttls = true
		if u.Port() == "" {
			s.addr += ":587"
		}
	case "smtp+plain":
		if u.Port() == "" {
			s.addr += ":25"
		}
	default:
		return nil, fmt.Errorf("CABINET_SMTP_URL: the scheme must be smtps://, smtp:// (STARTTLS) or smtp+plain:// (a local relay), not %q", u.Scheme)
	}
	if u.User != nil {
		if _, set := u.User.Password(); set {
			return nil, errors.New("CABINET_SMTP_URL: put the password in CABINET_SMTP_PASSWORD, not in the URL")
		}
		s.user = u.User.Username()
	}
	if s.cfg.From == "" && strings.Contains(s.user, "@") {
		s.cfg.From = s.user
	}
	if s.cfg.From == "" {
		return nil, errors.New("CABINET_SMTP_FROM: the sender's address is missing")
	}
	return s, nil
}

// Name is the platform's name in addresses: email:someone@example.ro.
func (s *Sender) Name() string { return "email" }

// Send mails r to the address to and returns the message's Message-ID. A
// 4xx answer of the server is bot.ErrTransient (the outbox tries again); a
// 5xx one is permanent.
func (s *Sender) Send(ctx context.Context, to string, r commands.Reply) (id string, err error) {
	defer func() {
		var se *smtp.SMTPError
		if errors.As(err, &se) && se.Code >= 400 && se.Code < 500 {
			err = fmt.Errorf("%w: %w", bot.ErrTransient, err)
		}
	}()
	id = messageID(s.host)
	msg, err := s.compose(to, id, r)
	if err != nil {
		return "", err
	}
	d := net.Dialer{Timeout: 30 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return "", fmt.Errorf("smtp: %w", err)
	}
	if s.tls {
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return "", fmt.Errorf("smtp: %w", err)
		}
		conn = tc
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	var c *smtp.Client
	if s.starttls {
		if c, err = smtp.NewClientStartTLS(conn, s.tlsConfig()); err != nil {
			conn.Close()
			return "", fmt.Errorf("smtp: starttls: %w", err)
		}
	} else {
		c = smtp.NewClient(conn)
	}
	defer c.Close()
	if s.user != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.user, s.cfg.Password)); err != nil {
			return "", fmt.Errorf("smtp: login as %s: %w", s.user, err) // never the password
		}
	}
	if err := c.SendMail(s.cfg.From, []string{to}, bytes.NewReader(msg)); err != nil {
		return "", fmt.Errorf("smtp: send to %s: %w", to, err)
	}
	if err := c.Quit(); err != nil {
		return "", fmt.Errorf("smtp: %w", err)
	}
	return id, nil
}

func (s *Sender) tlsConfig() *tls.Config {
	if s.cfg.TLSConfig != nil {
		return s.cfg.TLSConfig
	}
	return &tls.Config{ServerName: s.host}
}

// compose writes the message: UTF-8 text, quoted-printable.
func (s *Sender) compose(to, id string, r commands.Reply) ([]byte, error) {
	if strings.ContainsAny(to, "\r\n<>,;") || !strings.Contains(to, "@") {
		return nil, fmt.Errorf("smtp: not an address: %q", to)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: %s\r\n", s.cfg.From, to,
		mime.QEncoding.Encode("utf-8", r.Title), time.Now().Format(time.RFC1123Z), id)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\nAuto-Submitted: auto-replied\r\n\r\n")
	w := quotedprintable.NewWriter(&b)
	if _, err := w.Write([]byte(strings.Join(r.Lines, "\r\n") + "\r\n")); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func messageID(host string) string {
	b := make([]byte, 12)
	rand.Read(b)
	if host == "" {
		host = "cabinetbot"
	}
	return "<" + hex.EncodeToString(b) + "@" + host + ">"
}
