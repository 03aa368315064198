package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Proposed is the keyword the reader sets on a message it proposed (with
// \Seen): the mailbox is only read and flagged, nothing is deleted.
const Proposed imap.Flag = "$CabinetPropus"

// ReaderConfig is what the mailbox reader needs.
type ReaderConfig struct {
	// URL is imaps://user@host:993/INBOX (imap:// without TLS: tests and
	// a local relay only).
	URL      string
	Password string
	// Propose proposes one e-mail (Engine.ProposeMail); an error leaves the
	// message unflagged, to be tried at the next pass.
	Propose func(ctx context.Context, m commands.Mail) error
	Logger  *slog.Logger
	// Poll is how often the mailbox is read when the server has no IDLE,
	// and the longest an IDLE waits (default 2 min).
	Poll time.Duration
	// MaxMessage is the largest message fetched whole (default 50 MB);
	// bigger ones are proposed from their envelope, with a note.
	MaxMessage int64
	TLSConfig  *tls.Config
}

// Reader reads the Cabinet's mailbox: each message not yet proposed is
// handed to Propose, then flagged \Seen and Proposed.
type Reader struct {
	cfg     ReaderConfig
	log     *slog.Logger
	tls     bool
	addr    string
	user    string
	mailbox string
}

// NewReader checks the configuration.
func NewReader(cfg ReaderConfig) (*Reader, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil {
		// url.Error repeats the URL, and with it a password typed there.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("CABINET_IMAP_URL cannot be read: %w", err)
	}
	r := &Reader{cfg: cfg, log: cfg.Logger, addr: u.Host, mailbox: strings.TrimPrefix(u.Path, "/")}
	switch u.Scheme {
	case "imaps":
		r.tls = true
		if u.Port() == "" {
			r.addr += ":993"
		}
	case "imap":
		if u.Port() == "" {
			r.addr += ":143"
		}
	default:
		return nil, fmt.Errorf("CABINET_IMAP_URL: the scheme must be imaps:// (or imap://), not %q", u.Scheme)
	}
	if u.User == nil || u.User.Username() == "" {
		return nil, errors.New("CABINET_IMAP_URL: the user is missing (imaps://user@host:993/INBOX)")
	}
	if _, set := u.User.Password(); set {
		return nil, errors.New("CABINET_IMAP_URL: put the password in CABINET_IMAP_PASSWORD, not in the URL")
	}
	r.user = u.User.Username()
	if r.mailbox == "" {
		r.mailbox = "INBOX"
	}
	if r.cfg.Poll <= 0 {
		r.cfg.Poll = 2 * time.Minute
	}
	if r.cfg.MaxMessage <= 0 {
		r.cfg.MaxMessage = 50 << 20
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	r.log = r.log.With("component", "mailbox", "mailbox", r.user+"@"+r.addr+"/"+r.mailbox)
	return r, nil
}

// Run reads the mailbox until ctx ends, reconnecting after failures.
func (r *Reader) Run(ctx context.Context) {
	wait := time.Second
	for ctx.Err() == nil {
		err := r.session(ctx)
		if ctx.Err() != nil {
			return
		}
		r.log.Warn("mailbox: connection lost; trying again", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, 5*time.Minute)
	}
}

// session is one connection: a pass over the mailbox, then IDLE (or a
// pause) until something arrives, again and again.
func (r *Reader) session(ctx context.Context) error {
	wake := make(chan struct{}, 1)
	opts := &imapclient.Options{TLSConfig: r.cfg.TLSConfig, UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				select {
				case wake <- struct{}{}:
				default:
				}
			}
		}}}
	var c *imapclient.Client
	var err error
	if r.tls {
		c, err = imapclient.DialTLS(r.addr, opts)
	} else {
		c, err = imapclient.DialInsecure(r.addr, opts)
	}
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.Login(r.user, r.cfg.Password).Wait(); err != nil {
		return fmt.Errorf("login as %s: %w", r.user, err) // never the password
	}
	if _, err := c.Select(r.mailbox, nil).Wait(); err != nil {
		return fmt.Errorf("select %s: %w", r.mailbox, err)
	}
	idle := c.Caps().Has(imap.CapIdle) || c.Caps().Has(imap.CapIMAP4rev2)
	r.log.Info("mailbox: connected", "idle", idle)
	for {
		if err := r.pass(ctx, c); err != nil {
			return err
		}
		if !idle {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(r.cfg.Poll):
			}
			continue
		}
		cmd, err := c.Idle()
		if err != nil {
			return fmt.Errorf("idle: %w", err)
		}
		select {
		case <-ctx.Done():
		case <-wake:
		case <-time.After(r.cfg.Poll):
		}
		if err := cmd.Close(); err != nil {
			return fmt.Errorf("idle: %w", err)
		}
		if err := cmd.Wait(); err != nil {
			return fmt.Errorf("idle: %w", err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// pass proposes every message without the Proposed keyword.
func (r *Reader) pass(ctx context.Context, c *imapclient.Client) error {
	found, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{Proposed}}, nil).Wait()
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	for _, uid := range found.AllUIDs() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := r.one(ctx, c, uid); err != nil {
			return err
		}
	}
	return nil
}

// one proposes one message and flags it. A message that cannot be proposed
// (the database refuses) stays unflagged for the next pass.
func (r *Reader) one(ctx context.Context, c *imapclient.Client, uid imap.UID) error {
	set := imap.UIDSetNum(uid)
	head, err := c.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true, Envelope: true}).Collect()
	if err != nil {
		return fmt.Errorf("fetch %d: %w", uid, err)
	}
	if len(head) == 0 {
		return nil // expunged meanwhile
	}
	var m commands.Mail
	if head[0].RFC822Size > r.cfg.MaxMessage {
		m = fromEnvelope(head[0].Envelope)
		m.Notes = append(m.Notes, fmt.Sprintf("mesajul are %d MB: textul și atașamentele nu au fost descărcate; deschideți-l în căsuța poștală", head[0].RFC822Size>>20))
	} else {
		section := &imap.FetchItemBodySection{Peek: true}
		msgs, err := c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
		if err != nil {
			return fmt.Errorf("fetch %d: %w", uid, err)
		}
		if len(msgs) == 0 {
			return nil
		}
		m = Parse(msgs[0].FindBodySection(section))
		if m.MessageID == "" && head[0].Envelope != nil && head[0].Envelope.MessageID != "" {
			m.MessageID = "<" + head[0].Envelope.MessageID + ">"
		}
	}
	if m.MessageID == "" {
		// Without a Message-ID the mailbox's own identity of the message
		// keeps it from being proposed twice.
		m.MessageID = fmt.Sprintf("<uid-%d@%s/%s>", uid, r.user, r.mailbox)
	}
	if err := r.cfg.Propose(ctx, m); err != nil {
		r.log.Error("mailbox: a message could not be proposed; it is tried again", "uid", uid, "message_id", m.MessageID, "err", err)
		return nil
	}
	if err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen, Proposed}}, nil).Close(); err != nil {
		return fmt.Errorf("flag %d: %w", uid, err)
	}
	return nil
}

func fromEnvelope(e *imap.Envelope) commands.Mail {
	var m commands.Mail
	if e == nil {
		return m
	}
	m.Subject, m.Date = e.Subject, e.Date
	if e.MessageID != "" {
		m.MessageID = "<" + e.MessageID + ">"
	}
	if len(e.From) > 0 {
		m.FromName, m.FromAddr = e.From[0].Name, strings.ToLower(e.From[0].Addr())
	}
	return m
}
