package slack

import (
	"bytes"
	"context"
	"errors"
	"io"

	slackgo "github.com/slack-go/slack"

	"github.com/cluj-napoca/cabinetbot/commands"
)

// maxInboundFile bounds a file fetched from Slack; the command that takes
// it checks its own limit and says it.
const maxInboundFile = 64 << 20

// fileArguer is the engine's FileArgument (commands.Engine has it).
type fileArguer interface {
	FileArgument(line string) (name string, takes bool)
}

// errTooBig stops a download past maxInboundFile.
var errTooBig = errors.New("the file is too big")

type capWriter struct {
	buf bytes.Buffer
}

func (w *capWriter) Write(p []byte) (int, error) {
	if w.buf.Len()+len(p) > maxInboundFile {
		return 0, errTooBig
	}
	return w.buf.Write(p)
}

// fetchFiles downloads the files shared with a message (url_private_download,
// with the bot token), when the command on its line takes a file: a
// briefing note, an import. A file that cannot be fetched is logged and
// left out (the command then says it got none).
func (a *Adapter) fetchFiles(ctx context.Context, line string, files []slackgo.File) []commands.File {
	if len(files) == 0 {
		return nil
	}
	fa, ok := a.engine.(fileArguer)
	if !ok {
		return nil
	}
	if _, takes := fa.FileArgument(line); !takes {
		return nil
	}
	var out []commands.File
	for _, f := range files {
		url := f.URLPrivateDownload
		if url == "" {
			url = f.URLPrivate
		}
		if url == "" || f.Size > maxInboundFile {
			a.log.Warn("slack: shared file not fetched", "file", f.Name, "size", f.Size)
			continue
		}
		var w capWriter
		if err := a.web.api.GetFileContext(ctx, url, &w); err != nil {
			a.log.Warn("slack: shared file not fetched", "file", f.Name, "err", err)
			continue
		}
		out = append(out, commands.File{Name: f.Name, MIME: f.Mimetype, Data: w.buf.Bytes()})
	}
	return out
}

var _ io.Writer = (*capWriter)(nil)
