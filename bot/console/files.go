package console

import (
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands"
)

// maxFile bounds a file attached at the console: what a command takes.
const maxFile = commands.MaxFileSize

// attach takes the files a console line names with @PATH (or @"PATH WITH
// SPACES") out of the line and reads them: the console's way to send a file
// with a command, as a chat upload would (agenda importa @agenda.ics). A word
// that starts with @ but names no file and does not look like a path (a
// mention, @ana) stays in the line, and so does everything within quotes.
func attach(line string) (string, []commands.File, error) {
	var (
		out   strings.Builder
		files []commands.File
	)
	quoted := false
	for i := 0; i < len(line); {
		if strings.HasPrefix(line[i:], `"`) || strings.HasPrefix(line[i:], "„") || strings.HasPrefix(line[i:], "”") || strings.HasPrefix(line[i:], "“") {
			quoted = !quoted
		}
		if quoted || line[i] != '@' || (i > 0 && line[i-1] != ' ' && line[i-1] != '\t') {
			out.WriteByte(line[i])
			i++
			continue
		}
		path, next := line[i+1:], len(line)
		if strings.HasPrefix(path, `"`) {
			end := strings.IndexByte(path[1:], '"')
			if end < 0 {
				return "", nil, fmt.Errorf("the quote after @ is never closed")
			}
			path, next = path[1:end+1], i+1+end+2
		} else if sp := strings.IndexAny(path, " \t"); sp >= 0 {
			path, next = path[:sp], i+1+sp
		}
		st, err := os.Stat(path)
		switch {
		case err == nil && st.Mode().IsRegular():
			f, err := readFile(path)
			if err != nil {
				return "", nil, err
			}
			files = append(files, f)
		case strings.ContainsAny(path, `/\.`) && path != "":
			return "", nil, fmt.Errorf("no file %s", path)
		default:
			out.WriteString(line[i:next])
		}
		i = next
	}
	return strings.TrimSpace(out.String()), files, nil
}

// fileTypes are the documents commands take, whatever the system's MIME
// table says.
var fileTypes = map[string]string{".ics": "text/calendar", ".csv": "text/csv", ".vcf": "text/vcard"}

func readFile(path string) (commands.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return commands.File{}, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return commands.File{}, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxFile {
		return commands.File{}, fmt.Errorf("%s is larger than %d MB", path, maxFile>>20)
	}
	kind := fileTypes[strings.ToLower(filepath.Ext(path))]
	if kind == "" {
		kind = mime.TypeByExtension(filepath.Ext(path))
	}
	if kind == "" {
		kind = "application/octet-stream"
	}
	return commands.File{Name: filepath.Base(path), MIME: kind, Data: data}, nil
}
