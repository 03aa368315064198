package slack

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	slackgo "github.com/slack-go/slack"

	"github.com/cluj-napoca/cabinetbot/commands"
)

// Block Kit limits (https://api.slack.com/reference/block-kit/blocks).
const (
	maxBlocks        = 50
	maxSectionText   = 3000
	maxFieldsPerSect = 10
	maxFieldText     = 2000
	maxButtonText    = 75
	maxButtons       = 25
	maxFallbackText  = 3000
)

// actionsBlockID names the block of buttons on a card; the buttons' action
// IDs start with actionPrefix.
const (
	actionsBlockID = "cabinet_actions"
	actionPrefix   = "cabinet_action_"
)

// buttonValue is what a button carries: the typed command it stands for and
// the inputs to ask for first. Pressing it is the same as typing it.
type buttonValue struct {
	Command string   `json:"c"`
	Inputs  []string `json:"i,omitempty"`
	Label   string   `json:"l,omitempty"`
	Item    string   `json:"n,omitempty"`
}

// rendered is a reply in Slack's form: the text shown in notifications (and
// as the whole message when there are no blocks) and the blocks of a card.
type rendered struct {
	Text   string
	Blocks []slackgo.Block
}

// render writes a reply for Slack. Every string of a Reply is plain text and
// is escaped; the bold title, the field labels and the layout are markup
// added here. A reply with fields or buttons becomes a Block Kit card; a
// plain answer is mrkdwn text.
func render(r commands.Reply) rendered {
	title := kindMark(r.Kind) + "*" + escapeMax(strings.TrimSpace(r.Title), maxSectionText-20) + "*"
	if strings.TrimSpace(r.Title) == "" {
		title = strings.TrimSpace(kindMark(r.Kind))
	}
	if len(r.Fields) == 0 && len(r.Actions) == 0 {
		var b strings.Builder
		b.WriteString(title)
		for _, l := range r.Lines {
			b.WriteString("\n" + escape(l))
		}
		return rendered{Text: strings.TrimSpace(b.String())}
	}
	out := rendered{Text: kindMark(r.Kind) + escapeMax(r.Title, maxFallbackText)}
	if title != "" {
		out.Blocks = append(out.Blocks, section(title))
	}
	var fields []*slackgo.TextBlockObject
	flush := func() {
		if len(fields) > 0 {
			out.Blocks = append(out.Blocks, slackgo.NewSectionBlock(nil, fields, nil))
			fields = nil
		}
	}
	for _, f := range r.Fields {
		label := "*" + escapeMax(f.Label, 100) + "*\n"
		fields = append(fields, mrkdwn(label+escapeMax(f.Value, maxFieldText-utf8.RuneCountInString(label))))
		if len(fields) == maxFieldsPerSect {
			flush()
		}
	}
	flush()
	for _, chunk := range chunkLines(r.Lines, maxSectionText) {
		out.Blocks = append(out.Blocks, section(chunk))
	}
	if buttons := renderButtons(r); len(buttons) > 0 {
		if len(out.Blocks) >= maxBlocks {
			out.Blocks = out.Blocks[:maxBlocks-2]
			out.Blocks = append(out.Blocks, section("…"))
		}
		out.Blocks = append(out.Blocks, slackgo.NewActionBlock(actionsBlockID, buttons...))
	} else if len(out.Blocks) > maxBlocks {
		out.Blocks = append(out.Blocks[:maxBlocks-1], section("…"))
	}
	return out
}

func renderButtons(r commands.Reply) []slackgo.BlockElement {
	var out []slackgo.BlockElement
	for i, a := range r.Actions {
		if i == maxButtons {
			break
		}
		v, _ := json.Marshal(buttonValue{Command: a.Command, Inputs: a.Inputs, Label: a.Label, Item: r.Item})
		b := slackgo.NewButtonBlockElement(actionPrefix+strconv.Itoa(i)+"_"+a.ID, string(v),
			slackgo.NewTextBlockObject(slackgo.PlainTextType, truncate(a.Label, maxButtonText), false, false))
		if a.ID == "resolve" {
			b = b.WithStyle(slackgo.StylePrimary)
		}
		out = append(out, b)
	}
	return out
}

// kindMark is the emoji before the title of a refusal or an error.
func kindMark(k commands.Kind) string {
	switch k {
	case commands.Invalid:
		return ":warning: "
	case commands.Denied:
		return ":no_entry: "
	case commands.Failed:
		return ":x: "
	}
	return ""
}

func mrkdwn(s string) *slackgo.TextBlockObject {
	return slackgo.NewTextBlockObject(slackgo.MarkdownType, s, false, false)
}

func plain(s string) *slackgo.TextBlockObject {
	return slackgo.NewTextBlockObject(slackgo.PlainTextType, s, false, false)
}

func section(s string) *slackgo.SectionBlock {
	return slackgo.NewSectionBlock(mrkdwn(s), nil, nil)
}

// chunkLines escapes the lines and joins them into texts of at most max
// characters, breaking between lines (a line longer than max is cut).
func chunkLines(lines []string, max int) []string {
	var out []string
	var cur strings.Builder
	n := 0 // characters in cur
	for _, l := range lines {
		l = escapeMax(l, max)
		if l == "" {
			l = " "
		}
		ln := utf8.RuneCountInString(l)
		if n > 0 && n+1+ln > max {
			out = append(out, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte('\n')
			n++
		}
		cur.WriteString(l)
		n += ln
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, cur.String())
	}
	return out
}

// escapeMax escapes s and keeps the result within max characters, cutting
// the plain text (never an escape sequence) when it is too long.
func escapeMax(s string, max int) string {
	e := escape(s)
	for cut := max; utf8.RuneCountInString(e) > max && cut > 1; cut = cut * 3 / 4 {
		e = escape(truncate(s, cut))
	}
	return e
}
