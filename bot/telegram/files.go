package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/cluj-napoca/cabinetbot/commands"
)

// A command that takes a file (an agenda's .ics, a directory's CSV) is sent
// as a document with the command as its caption. The file is fetched only
// when the command takes one (getFile, then the download link), and no more
// of it than a command accepts: a larger file is cut at one byte over the
// limit, and the command refuses it for its size.

// attachment fetches the document of a message for its command, or returns
// nil when there is none or the command takes no file.
func (a *Adapter) attachment(ctx context.Context, msg *models.Message, line string) ([]commands.File, error) {
	doc := msg.Document
	if doc == nil {
		return nil, nil
	}
	if _, takes := a.engine.FileArgument(line); !takes {
		return nil, nil
	}
	var f *models.File
	err := a.call(ctx, 0, func(ctx context.Context) error {
		var err error
		f, err = a.b.GetFile(ctx, &tgbot.GetFileParams{FileID: doc.FileID})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("telegram: getFile %s: %w", doc.FileName, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.b.FileDownloadLink(f), nil)
	if err != nil {
		return nil, fmt.Errorf("telegram: download %s: %w", doc.FileName, err)
	}
	resp, err := a.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram: download %s: %w", doc.FileName, redact(err, a.cfg.Token))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("telegram: download %s: %s", doc.FileName, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, commands.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("telegram: download %s: %w", doc.FileName, err)
	}
	name := doc.FileName
	if name == "" {
		name = "fisier"
	}
	return []commands.File{{Name: name, MIME: doc.MimeType, Data: data}}, nil
}

// redact keeps the bot token out of an error (a download link holds it).
func redact(err error, token string) error {
	if token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), token, "***"))
}
