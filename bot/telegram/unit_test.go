package telegram

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot/telegram/tgfake"
	"github.com/cluj-napoca/cabinetbot/commands"
)

func TestParseText(t *testing.T) {
	for _, tc := range []struct {
		text      string
		addressed bool
		want      parsed
		ok        bool
	}{
		{"/azi", false, parsed{Line: "agenda azi", Lang: commands.Romanian}, true},
		{"/azi@cabinetbot", false, parsed{Line: "agenda azi", Lang: commands.Romanian}, true},
		{"/azi@CabinetBot", false, parsed{Line: "agenda azi", Lang: commands.Romanian}, true},
		{"/azi@otherbot", true, parsed{}, false},
		{"/today", false, parsed{Line: "agenda today", Lang: commands.English}, true},
		{"/agenda 25.11", false, parsed{Line: "agenda 25.11", Lang: commands.Romanian}, true},
		{"/telefon Ștefan  Țăranu", false, parsed{Line: "telefon Ștefan  Țăranu", Lang: commands.Romanian}, true},
		{"/phone@cabinetbot urbanism", false, parsed{Line: "phone urbanism", Lang: commands.English}, true},
		{"/arata 12/2026", false, parsed{Line: "arata 12/2026", Lang: commands.Romanian}, true},
		{"/start", true, parsed{Line: "ajutor", Start: true}, true},
		{"/start K7M2QX9P", true, parsed{Line: "ajutor", Start: true, Code: "K7M2QX9P"}, true},
		{"/start@cabinetbot K7M2QX9P", false, parsed{Line: "ajutor", Start: true, Code: "K7M2QX9P"}, true},
		{"/zi_libera 2027", false, parsed{Line: "zi libera 2027"}, true},
		{`/inregistreaza de="Ana" subiect="Ș"`, false, parsed{Line: `inregistreaza de="Ana" subiect="Ș"`}, true},
		{"/ROL telegram:1 primar", false, parsed{Line: "rol telegram:1 primar"}, true},
		{"restante", true, parsed{Line: "restante"}, true},
		{"restante", false, parsed{}, false}, // group chatter
		{"@cabinetbot restante DT", false, parsed{Line: "restante DT"}, true},
		{"@cabinetbot, restante", false, parsed{Line: "restante"}, true},
		{"@cabinetbotx restante", false, parsed{}, false},
		{"În ședință: /azi", false, parsed{}, false}, // a command not at the start is text
		{"/", true, parsed{}, false},
		{"  ", true, parsed{}, false},
	} {
		got, ok := parseText(tc.text, "cabinetbot", tc.addressed)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%q (addressed %v): %+v %v, want %+v %v", tc.text, tc.addressed, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFillForm(t *testing.T) {
	in := []string{"raspuns", "data"}
	isKey := func(k string) bool { return k == "raspuns" || k == "data" }
	for _, tc := range []struct{ reply, want string }{
		{"4521", "rezolva 12/2026 raspuns=4521"},
		{"4521 20.11.2026", "rezolva 12/2026 raspuns=4521 data=20.11.2026"},
		{"- 20.11", "rezolva 12/2026 data=20.11"},
		{"data=azi 4521", "rezolva 12/2026 data=azi raspuns=4521"},
		{`raspuns="45 21"`, `rezolva 12/2026 raspuns="45 21"`},
		{"4521 azi extra", "rezolva 12/2026 raspuns=4521 data=azi extra"},
		{`"nr 7`, `rezolva 12/2026 "nr 7`},
	} {
		if got := fillForm("rezolva 12/2026", in, isKey, tc.reply); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.reply, got, tc.want)
		}
	}
	// Inputs the command takes as positional arguments.
	none := func(string) bool { return false }
	if got := fillForm("repartizeaza 12/2026", []string{"departament"}, none, `"directia tehnica"`); got != `repartizeaza 12/2026 "directia tehnica"` {
		t.Errorf("assign: %q", got)
	}
	if got := fillForm("prelungeste 12/2026", []string{"zile"}, none, "15"); got != "prelungeste 12/2026 15" {
		t.Errorf("extend: %q", got)
	}
}

func TestRenderEscapesAndPages(t *testing.T) {
	r := commands.Reply{Kind: commands.Invalid, Title: `a <b> & "c"`, Fields: []commands.Field{{Label: "Subiect", Value: "<i>x</i>"}}}
	pages := renderPages(r, 15)
	if len(pages) != 1 || pages[0] != "⚠️ <b>a &lt;b&gt; &amp; &#34;c&#34;</b>\n<i>Subiect:</i> &lt;i&gt;x&lt;/i&gt;" {
		t.Fatalf("%q", pages)
	}
	if _, err := tgfake.ParseHTML(pages[0]); err != nil {
		t.Fatal(err)
	}
	if renderPages(commands.Reply{}, 15) != nil {
		t.Error("an empty reply has a page")
	}

	var lines []string
	for i := 1; i <= 32; i++ {
		lines = append(lines, fmt.Sprintf("line %d", i))
	}
	pages = renderPages(commands.Reply{Title: "T", Lines: lines}, 15)
	if len(pages) != 2 || !strings.HasPrefix(pages[0], "<b>T</b> <i>(1/2)</i>\nline 1\n") || !strings.HasSuffix(pages[1], "line 32") {
		t.Fatalf("32 lines by 15 (the last 2 folded in): %q", pages)
	}
	if n := strings.Count(pages[1], "\n"); n != 17 {
		t.Errorf("second page has %d lines", n)
	}
	// Blank lines at the edges of a page go; long text is cut to fit.
	pages = renderPages(commands.Reply{Title: "T", Lines: []string{"", "a", "", strings.Repeat("ș", 5000)}}, 15)
	for _, p := range pages {
		if strings.Contains(p, "\n\n") && strings.HasSuffix(p, "\n") {
			t.Errorf("blank edge: %q", p)
		}
		if len(p) > maxPageChars+32 {
			t.Errorf("page of %d bytes", len(p))
		}
		if _, err := tgfake.ParseHTML(p); err != nil {
			t.Error(err)
		}
	}
}

func TestActionButtons(t *testing.T) {
	rows, typed := actionButtons([]commands.Action{
		{Label: "Rezolvat", Command: "rezolva 12/2026", Inputs: []string{"raspuns", "data"}},
		{Label: "Arată", Command: "arata 12/2026"},
		{Label: "Lung", Command: "cauta " + strings.Repeat("x", 70)},
	})
	if len(rows) != 1 || rows[0][0].CallbackData != "f|raspuns,data|rezolva 12/2026" || rows[0][1].CallbackData != "c|arata 12/2026" {
		t.Errorf("rows: %+v", rows)
	}
	if len(typed) != 1 {
		t.Errorf("a command too long for a button is typed: %v", typed)
	}
}

func TestPacerKeepsTelegramsLimits(t *testing.T) {
	p := newPacer(time.Second, time.Minute, 20)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	var group []time.Time
	for i := 0; i < 45; i++ {
		group = append(group, now.Add(p.reserve(-100, now)))
	}
	for i := 1; i < len(group); i++ {
		if group[i].Sub(group[i-1]) < time.Second {
			t.Fatalf("two messages to a chat %v apart", group[i].Sub(group[i-1]))
		}
	}
	for i := 20; i < len(group); i++ {
		if group[i].Sub(group[i-20]) < time.Minute {
			t.Fatalf("21 messages to a group within %v", group[i].Sub(group[i-20]))
		}
	}
	// A person's chat is not held to the group limit, nor by another chat.
	if d := p.reserve(100, now); d != 0 {
		t.Errorf("first message to another chat waits %v", d)
	}
	for i := 1; i < 30; i++ {
		if d := p.reserve(100, now); d != time.Duration(i)*time.Second {
			t.Fatalf("message %d to a person waits %v", i, d)
		}
	}
	// A 429 holds the chat back.
	p.holdUntil(200, now.Add(5*time.Second))
	if d := p.reserve(200, now); d != 5*time.Second {
		t.Errorf("after a hold: %v", d)
	}
	// No pacing at all.
	if d := newPacer(-1, time.Minute, 20).reserve(-1, now); d != 0 {
		t.Errorf("unpaced: %v", d)
	}
}

func TestTrackerMarksOnlyWhatWasHandledInOrder(t *testing.T) {
	var saved []int64
	tr := newTracker(10, func(id int64) { saved = append(saved, id) })
	tr.begin([]int64{9, 11, 12, 13})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := tr.waitIdle(ctx); err == nil {
		t.Fatal("idle with updates in flight")
	}
	tr.finish(12)
	if tr.mark() != 10 {
		t.Fatalf("mark moved past 11, still in flight: %d", tr.mark())
	}
	tr.finish(11)
	tr.finish(99) // never received: ignored
	if tr.mark() != 12 || fmt.Sprint(saved) != "[12]" {
		t.Fatalf("mark %d saved %v", tr.mark(), saved)
	}
	tr.finish(13)
	if err := tr.waitIdle(context.Background()); err != nil || tr.mark() != 13 {
		t.Fatalf("idle: %v, mark %d", err, tr.mark())
	}
}
