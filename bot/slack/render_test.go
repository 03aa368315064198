package slack

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/text"
)

func TestPlainText(t *testing.T) {
	for in, want := range map[string]string{
		"contact=<mailto:ion@example.ro|ion@example.ro>":     "contact=ion@example.ro",
		"vezi <https://primariaclujnapoca.ro|site-ul>":       "vezi site-ul",
		"vezi <https://primariaclujnapoca.ro>":               "vezi https://primariaclujnapoca.ro",
		"rol <@U02ABC> cabinet":                              "rol <@U02ABC> cabinet",
		"rol <@U02ABC|ana> cabinet":                          "rol <@U02ABC|ana> cabinet",
		"canal <#C123|dt>":                                   "canal <#C123|dt>",
		`subiect="Groapă &lt;mare&gt; &amp;amp; adâncă"`:     `subiect="Groapă <mare> &amp; adâncă"`,
		"telefon <tel:0264596030|0264 596 030>":              "telefon 0264 596 030",
		"„ghilimele” și “altele” rămân":                      "„ghilimele” și “altele” rămân",
		"arata 12/2026":                                      "arata 12/2026",
		"&lt;@U02ABC&gt; nu e o mențiune, a fost scrisă așa": "<@U02ABC> nu e o mențiune, a fost scrisă așa",
	} {
		if got := plainText(in); got != want {
			t.Errorf("plainText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStripMention(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"<@UBOT> restante", "restante"},
		{"<@UBOT|cabinet>   restante DT", "restante DT"},
		{"te rog <@UBOT> arata 1/2026", "te rog arata 1/2026"},
		{"<@UBOT> rol <@U02> cabinet", "rol <@U02> cabinet"},
	} {
		got, ok := stripMention(c.in, "UBOT")
		if got != c.want || !ok {
			t.Errorf("stripMention(%q) = %q, %v", c.in, got, ok)
		}
	}
	if _, ok := stripMention("<@U02> salut", "UBOT"); ok {
		t.Error("another person's mention is not the bot's")
	}
}

// A form's value, quoted, is read back whole by the command tokenizer.
func TestQuoteRoundTrip(t *testing.T) {
	for _, v := range []string{`Ion Popescu`, `Ministerul "Dezvoltării"`, `„Asociația” Verde`, `a "b" » c`, "două\nrânduri", `x=y`} {
		tokens, err := text.Tokenize("k=" + quote(v))
		want := strings.Join(strings.Fields(v), " ")
		if strings.ContainsRune(v, '»') && strings.ContainsRune(v, '"') {
			want = strings.ReplaceAll(want, `"`, "'")
		}
		if err != nil || len(tokens) != 1 || tokens[0].Value != want {
			t.Errorf("quote(%q) = %s → %+v %v", v, quote(v), tokens, err)
		}
	}
}

func TestRenderCard(t *testing.T) {
	r := commands.Reply{Title: "Înregistrat 1/2026 <b>", Item: "1/2026",
		Fields:  []commands.Field{{Label: "Subiect", Value: "A & B <c>"}, {Label: "Termen", Value: "28.12.2026"}},
		Lines:   []string{"Termen: 30 de zile"},
		Actions: []commands.Action{{ID: "assign", Label: "Repartizează", Command: "repartizeaza 1/2026", Inputs: []string{"departament"}}, {ID: "resolve", Label: "Rezolvat", Command: "rezolva 1/2026"}}}
	out := render(r)
	b, _ := json.Marshal(out.Blocks)
	js := string(b)
	for _, want := range []string{`"text":"*Înregistrat 1/2026 \u0026lt;b\u0026gt;*"`, `*Subiect*\nA \u0026amp; B \u0026lt;c\u0026gt;`, `"type":"actions"`,
		`"action_id":"cabinet_action_0_assign"`, `"style":"primary"`} {
		if !strings.Contains(js, want) {
			t.Errorf("blocks lack %s:\n%s", want, js)
		}
	}
	if out.Text != "Înregistrat 1/2026 &lt;b&gt;" {
		t.Errorf("fallback text %q", out.Text)
	}
	var v buttonValue
	actions := out.Blocks[len(out.Blocks)-1]
	raw, _ := json.Marshal(actions)
	var blk struct {
		Elements []struct{ Value string } `json:"elements"`
	}
	_ = json.Unmarshal(raw, &blk)
	if err := json.Unmarshal([]byte(blk.Elements[0].Value), &v); err != nil || v.Command != "repartizeaza 1/2026" || v.Item != "1/2026" || v.Inputs[0] != "departament" {
		t.Errorf("button value %+v %v", v, err)
	}
}

func TestRenderPlain(t *testing.T) {
	out := render(commands.Reply{Kind: commands.Invalid, Title: "Data „32.13” nu există.", Lines: []string{"Exemplu: termen 25.11.2026 petitie", "<x>"}})
	if out.Blocks != nil || out.Text != ":warning: *Data „32.13” nu există.*\nExemplu: termen 25.11.2026 petitie\n&lt;x&gt;" {
		t.Errorf("plain reply: %+v", out)
	}
	if got := render(commands.Reply{Kind: commands.Denied, Title: "Nu"}).Text; got != ":no_entry: *Nu*" {
		t.Errorf("denied: %q", got)
	}
}

// Long answers stay within Block Kit's limits: 3000 characters a section,
// 10 fields a section, 50 blocks a message.
func TestRenderLimits(t *testing.T) {
	r := commands.Reply{Title: "Multe", Actions: []commands.Action{{ID: "x", Label: "X", Command: "arata 1/2026"}}}
	for i := range 25 {
		r.Fields = append(r.Fields, commands.Field{Label: "F", Value: strings.Repeat("&", 3000)})
		_ = i
	}
	for range 400 {
		r.Lines = append(r.Lines, strings.Repeat("ă<", 200))
	}
	out := render(r)
	if len(out.Blocks) > maxBlocks {
		t.Errorf("%d blocks", len(out.Blocks))
	}
	b, _ := json.Marshal(out.Blocks)
	var blocks []struct {
		Type   string
		Text   *struct{ Text string }
		Fields []struct{ Text string }
	}
	_ = json.Unmarshal(b, &blocks)
	if blocks[len(blocks)-1].Type != "actions" {
		t.Error("the buttons were cut")
	}
	for _, blk := range blocks {
		if blk.Text != nil && utf8.RuneCountInString(blk.Text.Text) > maxSectionText {
			t.Errorf("a section of %d characters", utf8.RuneCountInString(blk.Text.Text))
		}
		if len(blk.Fields) > maxFieldsPerSect {
			t.Errorf("a section of %d fields", len(blk.Fields))
		}
		for _, f := range blk.Fields {
			if n := utf8.RuneCountInString(f.Text); n > maxFieldText {
				t.Errorf("a field of %d characters", n)
			}
			if strings.HasSuffix(strings.TrimSuffix(f.Text, "…"), "&am") {
				t.Error("an escape was cut in two")
			}
		}
	}
}

func TestPacer(t *testing.T) {
	p := newPacer(time.Second, 2)
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	var got []time.Duration
	for range 4 {
		got = append(got, p.delay("C1", t0))
	}
	want := []time.Duration{0, 0, time.Second, 2 * time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("delays %v, want %v", got, want)
		}
	}
	if d := p.delay("C2", t0); d != 0 {
		t.Errorf("another channel waited %v", d)
	}
	if d := p.delay("C1", t0.Add(time.Minute)); d != 0 {
		t.Errorf("after a quiet minute: %v", d)
	}
	p.delay("C3", t0.Add(time.Hour)) // a new channel sweeps the idle ones
	if len(p.chans) != 1 {
		t.Errorf("%d channels kept", len(p.chans))
	}
	if (*pacer)(nil).delay("C", t0) != 0 || newPacer(-1, 1).delay("C", t0) != 0 {
		t.Error("no pacing")
	}
}

func TestAPIURLGetsItsSlash(t *testing.T) {
	if apiURL("http://127.0.0.1:9/api") != "http://127.0.0.1:9/api/" || apiURL("https://slack.com/api/") != "https://slack.com/api/" {
		t.Error(apiURL("http://127.0.0.1:9/api"))
	}
}
