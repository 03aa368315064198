package slack

import (
	"context"
	"fmt"

	slackgo "github.com/slack-go/slack"

	"github.com/cluj-napoca/cabinetbot/commands"
)

// Files shared with a message (a consultation's answer with its document)
// are fetched only when the message's command takes a file, with the bot
// token (url_private_download), and no more of each than a command accepts:
// a larger file is cut at one byte over the limit, and the command refuses
// it for its size.

// fileArguer is an engine that tells which commands take a file
// (*commands.Engine).
type fileArguer interface {
	FileArgument(line string) (name string, takes bool)
}

// attachments fetches the files shared with a message for its command, or
// returns nil when there are none or the command takes no file.
func (a *Adapter) attachments(ctx context.Context, line string, files []slackgo.File) ([]commands.File, error) {
	fa, ok := a.engine.(fileArguer)
	if len(files) == 0 || !ok {
		return nil, nil
	}
	if _, takes := fa.FileArgument(line); !takes {
		return nil, nil
	}
	var out []commands.File
	for _, f := range files {
		url := f.URLPrivateDownload
		if url == "" {
			url = f.URLPrivate
		}
		buf := &capped{limit: commands.MaxFileSize + 1}
		if err := a.web.api.GetFileContext(ctx, url, buf); err != nil {
			return nil, fmt.Errorf("slack: download %s: %w", f.Name, err)
		}
		out = append(out, commands.File{Name: f.Name, MIME: f.Mimetype, Data: buf.b})
	}
	return out, nil
}

// capped keeps at most limit bytes of what is written to it.
type capped struct {
	b     []byte
	limit int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.limit - len(c.b); room > 0 {
		c.b = append(c.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
