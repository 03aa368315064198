// Package mail reads the Cabinet's mailbox (IMAP) and sends the
// acknowledgements of what was registered from it (SMTP). It turns each new
// e-mail into a commands.Mail for the engine to propose; the commands never
// see IMAP.
package mail

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decodes ISO-8859-2, Windows-1250… into UTF-8
	gomail "github.com/emersion/go-message/mail"
	"golang.org/x/text/encoding/charmap"
)

// maxText is how much of a message's text is kept.
const maxText = 64 << 10

var tags = regexp.MustCompile(`<[^>]*>`)

// Parse decodes a raw message into what the engine proposes. It never
// fails: what cannot be read is left out and named in Notes.
func Parse(raw []byte) (m commands.Mail) {
	defer func() {
		if r := recover(); r != nil {
			m.Notes = append(m.Notes, fmt.Sprintf("mesajul nu a putut fi citit până la capăt (%v)", r))
		}
	}()
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if r == nil {
		m.Notes = append(m.Notes, fmt.Sprintf("antetul mesajului nu se poate citi (%v)", err))
		return m
	}
	if err != nil && message.IsUnknownCharset(err) {
		m.Notes = append(m.Notes, "set de caractere necunoscut în antet")
	}
	h := r.Header
	m.MessageID, _ = h.MessageID()
	if m.MessageID != "" {
		m.MessageID = "<" + m.MessageID + ">"
	}
	if from, err := h.AddressList("From"); err == nil && len(from) > 0 {
		m.FromName, m.FromAddr = from[0].Name, strings.ToLower(from[0].Address)
	} else if v := h.Get("From"); v != "" {
		m.FromName = decodeWord(v)
		m.Notes = append(m.Notes, "adresa expeditorului nu se poate citi: „"+m.FromName+"”")
	} else {
		m.Notes = append(m.Notes, "mesajul nu are expeditor")
	}
	if s, err := h.Subject(); err == nil {
		m.Subject = s
	} else {
		m.Subject = decodeWord(h.Get("Subject"))
	}
	m.Subject = strings.TrimSpace(strings.ToValidUTF8(m.Subject, "?"))
	m.Date, _ = h.Date()
	var html string
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && p == nil {
			m.Notes = append(m.Notes, fmt.Sprintf("o parte a mesajului nu se poate citi (%v)", err))
			break
		}
		switch ph := p.Header.(type) {
		case *gomail.InlineHeader:
			ct, _, _ := ph.ContentType()
			b, err := io.ReadAll(io.LimitReader(p.Body, maxText))
			if err != nil {
				m.Notes = append(m.Notes, fmt.Sprintf("textul nu se poate citi întreg (%v)", err))
			}
			switch {
			case ct == "text/html":
				html += toUTF8(b)
			case ct == "" || strings.HasPrefix(ct, "text/"):
				if m.Text == "" {
					m.Text = toUTF8(b)
				}
			}
		case *gomail.AttachmentHeader:
			name, _ := ph.Filename()
			if name == "" {
				name = "atasament"
			}
			ct, _, _ := ph.ContentType()
			b, err := io.ReadAll(p.Body)
			if err != nil {
				m.Notes = append(m.Notes, fmt.Sprintf("atașamentul „%s” nu se poate citi (%v)", name, err))
				continue
			}
			m.Attachments = append(m.Attachments, commands.File{Name: name, MIME: ct, Data: b})
		}
	}
	if m.Text == "" && html != "" {
		m.Text = strings.Join(strings.Fields(tags.ReplaceAllString(html, " ")), " ")
	}
	m.Text = strings.TrimSpace(m.Text)
	return m
}

// toUTF8 keeps UTF-8 text, and reads anything else as Windows-1250 (the
// charset was decoded already when the part named one).
func toUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	s, err := charmap.Windows1250.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "?")
	}
	return string(s)
}

func decodeWord(s string) string {
	d, err := (&mime.WordDecoder{CharsetReader: message.CharsetReader}).DecodeHeader(s)
	if err != nil {
		return strings.ToValidUTF8(s, "?")
	}
	return strings.ToValidUTF8(d, "?")
}
