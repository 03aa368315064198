package main

import (
	"context"
	"log/slog"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/bot/mail"
	"github.com/cluj-napoca/cabinetbot/commands"
)

// mailParts connects the acknowledgement sender to the hub (CABINET_SMTP_URL)
// and prepares the reader of the Cabinet's mailbox (CABINET_IMAP_URL; nil
// when it is not set). The passwords are never logged.
func mailParts(cfg config, engine *commands.Engine, hub *bot.Hub, log *slog.Logger) (*mail.Reader, error) {
	if cfg.SMTPURL != "" {
		s, err := mail.NewSender(mail.SenderConfig{URL: cfg.SMTPURL, Password: cfg.SMTPPassword, From: cfg.SMTPFrom})
		if err != nil {
			return nil, err
		}
		hub.Add(s)
		log.Info("acknowledgements by e-mail on")
	}
	if cfg.IMAPURL == "" {
		return nil, nil
	}
	return mail.NewReader(mail.ReaderConfig{URL: cfg.IMAPURL, Password: cfg.IMAPPassword, Logger: log,
		Propose: func(ctx context.Context, m commands.Mail) error {
			p, fresh, err := engine.ProposeMail(ctx, m)
			if err == nil && fresh {
				log.Info("e-mail proposed for registration", "proposal", p.ID, "message_id", p.MessageID)
			}
			return err
		}})
}

// startMailbox reads the Cabinet's mailbox until ctx ends, when it is
// configured; the function it returns stops it and waits.
func startMailbox(ctx context.Context, d deps) func() {
	if d.mailbox == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.mailbox.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}
