package console

import (
	"bytes"
	"context"
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
