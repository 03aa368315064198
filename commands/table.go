package commands

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/text"
)

// Command is one entry of the command table: its names, who may run it, how
// it is used, and what it does. Help and the README's command reference are
// generated from the table, so they cannot drift from what the bot does.
type Command struct {
	Name    string   // the Romanian name, canonical
	Aliases []string // the English name first, then other accepted spellings
	Roles   []Role   // who may run it (admins may run everything)
	Group   string   // the help section: registru, administrare…
	// Usage shows the arguments, e.g. "N/YYYY DEPARTAMENT [cc=D2,D3]".
	Usage, UsageEn     string
	Summary, SummaryEn string
	Examples           []string
	// Keys are the key=value arguments it takes.
	Keys []Key
	// TakesItem: the first argument is a registration number, which may be
	// left out where the conversation is about an item (Request.Item, a
	// reply in a card's thread): `repartizeaza DT` there means that item.
	TakesItem bool
	// File names the file the command takes (e.g. "CSV"); empty for none.
	// See Request.Files and Engine.FileArgument.
	File string
	// FileOptional: the file may be left out, and no bare argument names it
	// (the console takes it as @path).
	FileOptional bool
	Run          func(*Call) (Reply, error)
}

// Key is a key=value argument.
type Key struct {
	Name  string // Romanian, canonical
	Alias string // English
}

// English is the command's English name.
func (c *Command) English() string {
	if len(c.Aliases) > 0 {
		return c.Aliases[0]
	}
	return c.Name
}

// Table is the set of commands and the words that call them.
type Table struct {
	commands []*Command
	byWord   map[string]*Command // folded name or alias → command
	english  map[string]bool     // words that are English names
}

// The help sections, in the order help shows them.
const (
	groupRegistry = "registru"
	groupDirs     = "departamente"
	groupPhone    = "telefoane"
	groupAgenda   = "agenda"
	groupReports  = "rapoarte"
	groupAdmin    = "administrare"
	groupHelp     = "ajutor"
)

var groupNames = map[string][2]string{
	groupRegistry: {"Registrul de corespondență", "Correspondence register"},
	groupDirs:     {"Departamente", "Departments"},
	groupPhone:    {"Agenda telefonică", "Phone directory"},
	groupAgenda:   {"Agenda primarului", "The Mayor's agenda"},
	groupReports:  {"Rapoarte și sinteze", "Reports and summaries"},
	groupAdmin:    {"Administrare", "Administration"},
	groupHelp:     {"Ajutor", "Help"},
}

var groupOrder = []string{groupRegistry, groupDirs, groupPhone, groupAgenda, groupReports, groupAdmin, groupHelp}

// NewTable builds the table of every command the bot knows. It panics when
// two commands claim the same word: that is a programming error, and a test
// builds the table.
func NewTable() *Table {
	t := &Table{byWord: map[string]*Command{}, english: map[string]bool{}}
	for _, group := range [][]*Command{registryCommands(), departmentTalkCommands(), mailCommands(), departmentCommands(), directoryCommands(), agendaCommands(), briefingCommands(), audienceCommands(), reportCommands(), noteCommands(), adminCommands(), linkCommands(), jobCommands(), helpCommands()} {
		for _, c := range group {
			t.add(c)
		}
	}
	return t
}

func (t *Table) add(c *Command) {
	t.commands = append(t.commands, c)
	for i, w := range append([]string{c.Name}, c.Aliases...) {
		w = text.Fold(w)
		if other, ok := t.byWord[w]; ok && other == c {
			continue // a spelling with diacritics of a name already in
		} else if ok {
			panic(fmt.Sprintf("commands: %q names both %q and %q", w, other.Name, c.Name))
		}
		t.byWord[w] = c
		if i == 1 {
			t.english[w] = true
		}
	}
}

// Lookup finds the command named by the first words of a line (names may have
// two words: "zi libera"). It returns the command, how many words it used,
// and whether the word used was the English name.
func (t *Table) Lookup(words []string) (c *Command, used int, english bool) {
	for n := min(2, len(words)); n >= 1; n-- {
		w := text.Fold(strings.Join(words[:n], " "))
		if c, ok := t.byWord[w]; ok {
			return c, n, t.english[w]
		}
	}
	return nil, 0, false
}

// Suggest returns the command names closest to word (for "did you mean"),
// among the commands the caller may run.
func (t *Table) Suggest(word string, caller Caller) []string {
	word = text.Fold(word)
	type cand struct {
		name string
		d    int
	}
	var cands []cand
	seen := map[*Command]bool{}
	for w, c := range t.byWord {
		if !caller.may(c.Roles) {
			continue
		}
		limit := 2
		if len(word) <= 4 {
			limit = 1
		}
		d := text.Distance(word, w)
		if d > limit && !(len(word) >= 4 && strings.HasPrefix(w, word)) {
			continue
		}
		if seen[c] {
			continue
		}
		seen[c] = true
		cands = append(cands, cand{w, d})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].d != cands[j].d {
			return cands[i].d < cands[j].d
		}
		return cands[i].name < cands[j].name
	})
	var out []string
	for _, c := range cands[:min(3, len(cands))] {
		out = append(out, c.name)
	}
	return out
}

// Commands returns the commands in help order.
func (t *Table) Commands() []*Command {
	out := slices.Clone(t.commands)
	sort.SliceStable(out, func(i, j int) bool {
		return slices.Index(groupOrder, out[i].Group) < slices.Index(groupOrder, out[j].Group)
	})
	return out
}

// key returns the canonical name of a key=value key the command takes.
func (c *Command) key(k string) (string, bool) {
	for _, key := range c.Keys {
		if k == key.Name || k == text.Fold(key.Alias) {
			return key.Name, true
		}
	}
	return "", false
}

// keyList writes the command's keys for an error message: de/from, tip/type…
func (c *Command) keyList(l Lang) string {
	var parts []string
	for _, k := range c.Keys {
		if l == English && k.Alias != "" {
			parts = append(parts, k.Alias)
			continue
		}
		parts = append(parts, k.Name)
	}
	return strings.Join(parts, ", ")
}

// Reference writes the command reference in Markdown: the README's section,
// generated from the same table as help.
func Reference() string {
	var b strings.Builder
	t := NewTable()
	for _, g := range groupOrder {
		names := groupNames[g]
		fmt.Fprintf(&b, "#### %s / %s\n\n", names[0], names[1])
		b.WriteString("| command | English | who | usage | what it does | example |\n|---|---|---|---|---|---|\n")
		for _, c := range t.Commands() {
			if c.Group != g {
				continue
			}
			fmt.Fprintf(&b, "| `%s` | `%s` | %s | `%s` | %s — *%s* | `%s` |\n",
				c.Name, c.English(), roleList(c.Roles), mdEscape(strings.TrimSpace(c.Name+" "+c.Usage)), c.SummaryEn, c.Summary, mdEscape(c.Examples[0]))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func roleList(roles []Role) string {
	if slices.Equal(roles, everyone) {
		return "everyone with a role"
	}
	var parts []string
	for _, r := range roles {
		parts = append(parts, string(r))
	}
	return strings.Join(parts, ", ")
}
