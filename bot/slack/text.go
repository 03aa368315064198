package slack

import (
	"regexp"
	"strings"
)

// escape makes plain text safe inside mrkdwn: Slack reads &, < and > as
// markup (links, mentions), so text people typed is escaped; the markup the
// adapter adds around it is not.
func escape(s string) string {
	return mrkdwnEscaper.Replace(s)
}

var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// slackRef matches Slack's markup in an incoming message: <@U…>, <#C…|name>,
// <!here>, <https://…|label>, <mailto:…|label>.
var slackRef = regexp.MustCompile(`<([^<>]*)>`)

// plainText turns the text of an incoming message back into what the person
// typed: links and e-mail addresses Slack turned into markup become their
// text again, &amp; &lt; &gt; are unescaped. Mentions of people and channels
// stay as Slack wrote them (<@U012AB3CD>), which the commands understand.
func plainText(s string) string {
	s = slackRef.ReplaceAllStringFunc(s, func(m string) string {
		inner := m[1 : len(m)-1]
		if inner == "" {
			return m
		}
		switch inner[0] {
		case '@', '#', '!':
			return m
		}
		target, label, hasLabel := strings.Cut(inner, "|")
		if hasLabel && label != "" {
			return label
		}
		return strings.TrimPrefix(strings.TrimPrefix(target, "mailto:"), "tel:")
	})
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// stripMention removes the mentions of the bot (<@UBOT> or <@UBOT|name>)
// from a message and reports whether there was one.
func stripMention(s, botID string) (string, bool) {
	if botID == "" {
		return strings.TrimSpace(s), false
	}
	found := false
	out := slackRef.ReplaceAllStringFunc(s, func(m string) string {
		id, _, _ := strings.Cut(m[1:len(m)-1], "|")
		if id == "@"+botID {
			found = true
			return " "
		}
		return m
	})
	return strings.Join(strings.Fields(out), " "), found
}

// quote writes a value for a command line so the tokenizer reads it back
// whole: in straight quotes, or in «…» when it has straight quotes itself.
func quote(v string) string {
	v = strings.Join(strings.Fields(v), " ") // a form's multi-line text is one line of a command
	switch {
	case !strings.ContainsAny(v, `"”“`):
		return `"` + v + `"`
	case !strings.ContainsRune(v, '»'):
		return "«" + v + "»"
	default:
		return `"` + strings.NewReplacer(`"`, "'", "”", "'", "“", "'").Replace(v) + `"`
	}
}

// truncate shortens s to at most n runes, ending with … when cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
