package telegram

import (
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/commands/text"
)

// Commands are parsed here from the text, not from the SDK's command
// matching: go-telegram/bot does not match /cmd@botname (which groups send)
// and reads the UTF-16 offsets of entities as byte offsets, mis-slicing a
// command after a diacritic.

// slashCommand is a Telegram menu command and the command line it stands for.
type slashCommand struct {
	name   string        // as typed after the slash
	line   string        // the engine's command line it begins
	lang   commands.Lang // the language it was typed in
	ro, en string        // the menu's description
}

// slashCommands are the menu: Romanian names, then their English aliases.
// Anything else after a slash is taken as the command language itself
// (/inregistreaza …, /zi_libera … with underscores for spaces).
var slashCommands = []slashCommand{
	{name: "start", line: "ajutor", lang: commands.Romanian, ro: "pornire; /start COD leagă contul", en: "start; /start CODE links your account"},
	{name: "azi", line: "agenda azi", lang: commands.Romanian, ro: "agenda de azi", en: "today's agenda"},
	{name: "maine", line: "agenda maine", lang: commands.Romanian, ro: "agenda de mâine", en: "tomorrow's agenda"},
	{name: "saptamana", line: "agenda saptamana", lang: commands.Romanian, ro: "agenda săptămânii", en: "this week's agenda"},
	{name: "agenda", line: "agenda", lang: commands.Romanian, ro: "agenda unei zile: /agenda 25.11", en: "the agenda of a day: /agenda 25.11"},
	{name: "telefon", line: "telefon", lang: commands.Romanian, ro: "un număr de telefon: /telefon urbanism", en: "a phone number: /phone urbanism"},
	{name: "restante", line: "restante", lang: commands.Romanian, ro: "ce a depășit termenul", en: "what is overdue"},
	{name: "cauta", line: "cauta", lang: commands.Romanian, ro: "caută în registru: /cauta groapa", en: "search the register: /find pothole"},
	{name: "arata", line: "arata", lang: commands.Romanian, ro: "o înregistrare: /arata 12/2026", en: "a registration: /show 12/2026"},
	{name: "ajutor", line: "ajutor", lang: commands.Romanian, ro: "ce puteți folosi", en: "what you can use"},

	{name: "today", line: "agenda today", lang: commands.English},
	{name: "tomorrow", line: "agenda tomorrow", lang: commands.English},
	{name: "week", line: "agenda week", lang: commands.English},
	{name: "phone", line: "phone", lang: commands.English},
	{name: "overdue", line: "overdue", lang: commands.English},
	{name: "find", line: "find", lang: commands.English},
	{name: "show", line: "show", lang: commands.English},
	{name: "help", line: "help", lang: commands.English},
}

// englishMenu pairs each Romanian menu command with its English name, for
// the menu English-speaking users see.
var englishMenu = map[string]string{
	"azi": "today", "maine": "tomorrow", "saptamana": "week", "telefon": "phone",
	"restante": "overdue", "cauta": "find", "arata": "show", "ajutor": "help",
}

func findSlash(name string) (slashCommand, bool) {
	for _, c := range slashCommands {
		if c.name == name {
			return c, true
		}
	}
	return slashCommand{}, false
}

// parsed is a message read as a command.
type parsed struct {
	Line  string        // the command line for the engine
	Lang  commands.Lang // set when the slash command says the language
	Start bool          // /start
	Code  string        // /start CODE: a link code
}

// parseText reads a message. botName is the bot's username; addressed says
// whether a plain-text message is meant for the bot (always in a private
// chat; in a group, when it replies to the bot or mentions it first). ok is
// false for what the bot should ignore: chatter, commands for other bots.
func parseText(msg, botName string, addressed bool) (p parsed, ok bool) {
	msg = strings.TrimSpace(msg)
	if mention := "@" + botName; botName != "" && len(msg) > len(mention) && strings.EqualFold(msg[:len(mention)], mention) &&
		strings.ContainsRune(" \n\t,:", rune(msg[len(mention)])) {
		msg, addressed = strings.TrimSpace(strings.TrimLeft(msg[len(mention):], ",:")), true
	}
	if !strings.HasPrefix(msg, "/") {
		if !addressed || msg == "" {
			return p, false
		}
		return parsed{Line: msg}, true
	}
	word, rest := msg, ""
	if i := strings.IndexFunc(msg, isSpace); i >= 0 {
		word, rest = msg[:i], strings.TrimSpace(msg[i:])
	}
	name, to, hasTo := strings.Cut(word[1:], "@")
	if hasTo && !strings.EqualFold(to, botName) {
		return p, false // a command for another bot in the group
	}
	name = text.Fold(name)
	if name == "" {
		return p, false
	}
	if name == "start" {
		code, _, _ := strings.Cut(rest, " ")
		return parsed{Line: "ajutor", Lang: "", Start: true, Code: code}, true
	}
	if c, ok := findSlash(name); ok {
		return parsed{Line: join(c.line, rest), Lang: c.lang}, true
	}
	return parsed{Line: join(strings.ReplaceAll(name, "_", " "), rest)}, true
}

func isSpace(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '\u00a0' }

func join(a, b string) string {
	if b == "" {
		return a
	}
	return a + " " + b
}

// fillForm builds the command a form's reply completes: key=value parts are
// kept, bare values fill the form's inputs in order — as key=value when the
// command takes that key, else as a positional argument. "rezolva 12/2026"
// with inputs raspuns, data and the reply "4521 20.11.2026" gives
// "rezolva 12/2026 raspuns=4521 data=20.11.2026"; "prelungeste 12/2026"
// with input zile and the reply "15" gives "prelungeste 12/2026 15".
func fillForm(command string, inputs []string, isKey func(string) bool, reply string) string {
	tokens, err := text.Tokenize(reply)
	if err != nil {
		return command + " " + reply // the engine explains the quote
	}
	given := map[string]bool{}
	for _, t := range tokens {
		if t.Key != "" {
			given[t.Key] = true
		}
	}
	var free []string
	for _, in := range inputs {
		if !given[text.Fold(in)] {
			free = append(free, in)
		}
	}
	parts := []string{command}
	for _, t := range tokens {
		switch {
		case t.Key != "":
			parts = append(parts, t.Key+"="+quote(t.Value))
		case t.Value == "-" && len(free) > 0: // "-" skips an input
			free = free[1:]
		case len(free) > 0 && isKey(free[0]):
			parts = append(parts, free[0]+"="+quote(t.Value))
			free = free[1:]
		case len(free) > 0:
			parts = append(parts, quote(t.Value))
			free = free[1:]
		default:
			parts = append(parts, quote(t.Value))
		}
	}
	return strings.Join(parts, " ")
}

func quote(v string) string {
	if v == "" || strings.ContainsAny(v, " \t\"„”“") {
		return `"` + strings.NewReplacer(`"`, "'", "„", "'", "”", "'", "“", "'").Replace(v) + `"`
	}
	return v
}
