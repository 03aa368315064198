// Package console is the local adapter: one command per line from standard
// input, each reply as plain text on standard output. It needs no chat
// service, works with piped input, and stops at the end of input.
package console

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/text"
)

// Console reads commands from In and writes replies to Out.
type Console struct {
	Handler bot.Handler
	In      io.Reader
	Out     io.Writer
	// Who is the person speaking (--as NAME).
	Who commands.Identity
	// Prompt prints "> " before each line: for a person at a terminal, not
	// for piped input.
	Prompt bool
	// FileDir is where files the commands produce are saved ("" = current
	// directory).
	FileDir string
	// Outbox says that the outbox (bot.Outbox) runs beside the console and
	// delivers the notices of replies; false prints them here.
	Outbox bool

	mu sync.Mutex // one writer at a time: replies and deliveries interleave
}

// line is one line of input; a line over commands.MaxCommandBytes keeps only
// its size.
type line struct {
	text    string
	size    int
	tooLong bool
}

// Run handles lines until the end of input or until ctx ends. A line over
// commands.MaxCommandBytes is refused with its size, and the next line runs.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan line)
	errc := make(chan error, 1)
	go func() {
		r := bufio.NewReader(c.In)
		for {
			l, err := readLine(r, commands.MaxCommandBytes)
			if l.size > 0 || err == nil {
				select {
				case lines <- l:
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				if err == io.EOF {
					err = nil
				}
				errc <- err
				close(lines)
				return
			}
		}
	}()
	c.prompt()
	for {
		select {
		case <-ctx.Done():
			return nil
		case l, ok := <-lines:
			if !ok {
				if err := <-errc; err != nil {
					return fmt.Errorf("read input: %w", err)
				}
				return nil
			}
			if l.tooLong {
				c.write(commands.TooLong(l.size, ""), "")
			} else {
				c.handle(ctx, l.text)
			}
			c.prompt()
		}
	}
}

// readLine reads one line (without its newline), keeping at most limit
// bytes of it: a longer line is read to its end and reported by its size.
// err is io.EOF at the end of input (with the last, unterminated line).
func readLine(r *bufio.Reader, limit int) (line, error) {
	var (
		l   line
		buf []byte
	)
	for {
		chunk, err := r.ReadSlice('\n')
		if err != bufio.ErrBufferFull {
			chunk = bytes.TrimRight(chunk, "\r\n")
		}
		l.size += len(chunk)
		switch {
		case l.tooLong:
		case l.size > limit:
			l.tooLong, buf = true, nil
		default:
			buf = append(buf, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if !l.tooLong {
			l.text = string(buf)
		}
		return l, err
	}
}

func (c *Console) prompt() {
	if c.Prompt {
		c.mu.Lock()
		fmt.Fprint(c.Out, "> ")
		c.mu.Unlock()
	}
}

func (c *Console) handle(ctx context.Context, line string) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return
	}
	line, files, err := attach(line)
	if err != nil {
		c.write(commands.Reply{Kind: commands.Invalid, Title: "! " + err.Error()}, "")
		return
	}
	req := commands.Request{Who: c.Who, Text: line, Files: files}
	if fa, ok := c.Handler.(fileArguer); ok && len(files) == 0 {
		if name, takes := fa.FileArgument(line); takes && name != "" {
			f, err := ReadFile(name)
			if err != nil {
				c.write(commands.Reply{Kind: commands.Invalid, Title: fmt.Sprintf("Nu pot citi fișierul „%s”: %v.", name, err)}, "")
				return
			}
			req.Files = []commands.File{f}
		}
	}
	r := c.Handler.Handle(ctx, req)
	c.write(r, "")
	if c.Outbox {
		return
	}
	for _, n := range r.Notices {
		c.write(n.Reply, "→ "+string(n.To.Kind)+" "+n.To.ID)
	}
}

// fileArguer is a handler that says which commands take a file
// (*commands.Engine).
type fileArguer interface {
	FileArgument(line string) (name string, takes bool)
}

// ReadFile reads a local file for a command that takes one: at the console
// the operator names it by its path (import-director agenda.csv).
func ReadFile(path string) (commands.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return commands.File{}, err
	}
	if st.Size() > commands.MaxFileSize {
		return commands.File{}, fmt.Errorf("%d MB, more than the %d MB a command takes", st.Size()>>20, commands.MaxFileSize>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return commands.File{}, err
	}
	kind := mime.TypeByExtension(filepath.Ext(path))
	if kind == "" {
		kind = "application/octet-stream"
	}
	return commands.File{Name: filepath.Base(path), MIME: kind, Data: data}, nil
}

// Name is the platform name of the console.
func (c *Console) Name() string { return "console" }

// Send shows a message meant for someone else (a department, the Mayor):
// on the console everything arrives here, labelled with its recipient.
func (c *Console) Send(_ context.Context, label string, r commands.Reply) (string, error) {
	c.write(r, label)
	return "", nil
}

func (c *Console) write(r commands.Reply, to string) {
	if r.Silent {
		return
	}
	text := Render(r)
	for _, f := range r.Files {
		text += "\n" + c.saveFile(f)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if to != "" {
		text = indent(to+"\n"+text, "  ")
	}
	fmt.Fprintln(c.Out, text)
	fmt.Fprintln(c.Out)
}

func (c *Console) saveFile(f commands.File) string {
	path := filepath.Join(c.FileDir, filepath.Base(f.Name))
	if err := os.WriteFile(path, f.Data, 0o640); err != nil {
		return "! " + err.Error()
	}
	return "↓ " + path
}

// Render writes a reply as plain text, without control characters.
func Render(r commands.Reply) string {
	var b strings.Builder
	b.WriteString(r.Title)
	for _, f := range r.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Label, f.Value)
	}
	for _, l := range r.Lines {
		b.WriteString("\n" + l)
	}
	// No control character reaches the terminal (ESC sequences), whatever
	// was stored before they were refused.
	return text.Printable(strings.TrimRight(b.String(), "\n"), true)
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
