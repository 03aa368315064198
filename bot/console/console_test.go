package console

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cluj-napoca/cabinetbot/commands"
)

type echo struct{ seen []commands.Request }

func (e *echo) Handle(_ context.Context, req commands.Request) commands.Reply {
	e.seen = append(e.seen, req)
	if req.Text == "quiet" {
		return commands.Reply{Silent: true}
	}
	return commands.Reply{Title: "got " + req.Text, Fields: []commands.Field{{Label: "A", Value: "b"}},
		Notices: []commands.Notice{{To: commands.Recipient{Kind: commands.ToDepartment, ID: "DT"}, Reply: commands.Reply{Title: "for DT"}}}}
}

func TestConsoleAnswersEachLineInOrder(t *testing.T) {
	h := &echo{}
	var out bytes.Buffer
	c := &Console{Handler: h, In: strings.NewReader("one\n\n# a comment\nquiet\ntwo  \n"), Out: &out,
		Who: commands.Identity{Platform: "console", ID: "ana"}}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "got one\n  A: b\n\n  → department DT\n  for DT\n\ngot two\n  A: b\n\n  → department DT\n  for DT\n\n"
	if out.String() != want {
		t.Fatalf("output:\n%q\nwant\n%q", out.String(), want)
	}
	if len(h.seen) != 3 || h.seen[0].Who.Key() != "console:ana" {
		t.Fatalf("requests: %+v", h.seen)
	}
}

func TestConsoleAttachesFilesNamedWithAt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "agenda mea.ics")
	if err := os.WriteFile(path, []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := &echo{}
	var out bytes.Buffer
	in := `agenda importa @"` + path + `"` + "\n" + `rol @ana cabinet nume="x @y.ro"` + "\nagenda importa @" + filepath.Join(dir, "lipsa.ics") + "\n"
	c := &Console{Handler: h, In: strings.NewReader(in), Out: &out, Who: commands.Identity{Platform: "console", ID: "ana"}}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(h.seen) != 2 {
		t.Fatalf("requests: %+v", h.seen)
	}
	first := h.seen[0]
	if first.Text != "agenda importa" || len(first.Files) != 1 || first.Files[0].Name != "agenda mea.ics" ||
		!strings.HasPrefix(string(first.Files[0].Data), "BEGIN:VCALENDAR") || first.Files[0].MIME != "text/calendar" {
		t.Errorf("first request: %q %+v", first.Text, first.Files)
	}
	if h.seen[1].Text != `rol @ana cabinet nume="x @y.ro"` || len(h.seen[1].Files) != 0 {
		t.Errorf("a mention was taken for a file: %+v", h.seen[1])
	}
	if !strings.Contains(out.String(), "! no file") {
		t.Errorf("a missing file is not reported:\n%s", out.String())
	}
}

// A line over commands.MaxCommandBytes (bufio.Scanner stopped the console
// there) is refused with its size, and the lines after it still run.
func TestConsoleRefusesAnOverlongLineAndGoesOn(t *testing.T) {
	for _, size := range []int{commands.MaxCommandBytes + 1, 1 << 20} {
		h := &echo{}
		var out bytes.Buffer
		in := "one\n" + "inregistreaza " + strings.Repeat("x", size) + "\r\ntwo\n" + strings.Repeat("y", size)
		c := &Console{Handler: h, In: strings.NewReader(in), Out: &out, Who: commands.Identity{Platform: "console", ID: "ana"}}
		if err := c.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(h.seen) != 2 || h.seen[0].Text != "one" || h.seen[1].Text != "two" {
			t.Fatalf("%d: requests: %d", size, len(h.seen))
		}
		if n := strings.Count(out.String(), "peste limita de 65536"); n != 2 {
			t.Fatalf("%d: %d refusals in\n%.500s", size, n, out.String())
		}
		if !strings.Contains(out.String(), "Comanda are "+strconv.Itoa(size+len("inregistreaza "))+" octeți") {
			t.Fatalf("%d: the size is not named:\n%.500s", size, out.String())
		}
	}
	// A line just at the limit runs.
	h := &echo{}
	line := strings.Repeat("z", commands.MaxCommandBytes)
	c := &Console{Handler: h, In: strings.NewReader(line + "\n"), Out: &bytes.Buffer{}}
	if err := c.Run(context.Background()); err != nil || len(h.seen) != 1 || h.seen[0].Text != line {
		t.Fatalf("a line at the limit: %v %d", err, len(h.seen))
	}
}

// Text stored before control characters were refused reaches the terminal
// without them (an ESC sequence could rewrite the screen).
func TestRenderDropsControlCharacters(t *testing.T) {
	got := Render(commands.Reply{Title: "Ședință\x1b]0;x\x07", Fields: []commands.Field{{Label: "Loc", Value: "Sala\x00 mare"}},
		Lines: []string{"a\x1b[2Jb\tc", "rând 1\nrând 2"}})
	want := "Ședință]0;x\n  Loc: Sala mare\na[2Jb c\nrând 1\nrând 2"
	if got != want {
		t.Fatalf("Render = %q, want %q", got, want)
	}
}
