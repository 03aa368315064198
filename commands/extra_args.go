package commands

import (
	"slices"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/text"
)

// Extra arguments: a command that takes a fixed number of bare arguments
// says which ones it did not use, instead of ignoring them silently
// (`arata 1/2026 extra`). The decision, per command:
//   - a command that changes something refuses the whole line (nothing is
//     changed): the extra words may be a mistyped part of what was meant;
//   - a command that only reads runs, and its reply ends with a remark
//     naming the words not used.
//
// Commands whose last argument is free text (a department's name, a search,
// a reason) take any number of words and are not in the table.
type argLimit struct {
	max     int  // bare arguments used
	changes bool // refuse rather than remark
	// then are words that may follow the max arguments (folded), e.g.
	// conexeaza's "confirma": one of them is used too.
	then []string
}

// used is how many of args the command uses.
func (l argLimit) used(args []string) int {
	if len(args) > l.max && slices.Contains(l.then, text.Fold(args[l.max])) {
		return l.max + 1
	}
	return l.max
}

var argLimits = map[string]argLimit{
	// register
	"arata":       {max: 1, changes: false},
	"prelungeste": {max: 2, changes: true},
	"conexeaza":   {max: 2, changes: true, then: []string{"confirma", "confirm"}},
	"rezolva":     {max: 1, changes: true},
	"claseaza":    {max: 1, changes: true},
	"termen":      {max: 2, changes: false},
	"corecteaza":  {max: 1, changes: true},
	"de-clasat":   {max: 0, changes: false},
	"ciorna":      {max: 1, changes: false},
	// administration
	"rol":          {max: 2, changes: true},
	"persoane":     {max: 0, changes: false},
	"departamente": {max: 0, changes: false},
}

// checkExtra runs the call under its command's argLimit: a refusal for a
// command that changes something, a remark for one that reads.
func (e *Engine) checkExtra(call *Call) Reply {
	lim, ok := argLimits[call.cmd.Name]
	used := lim.used(call.Args)
	if !ok || len(call.Args) <= used {
		return e.run(call)
	}
	extra := "„" + strings.Join(call.Args[used:], "”, „") + "”"
	extraEn := "“" + strings.Join(call.Args[used:], "”, “") + "”"
	usage := strings.TrimSpace(call.cmd.Name + " " + call.cmd.Usage)
	if call.Lang == English && call.cmd.UsageEn != "" {
		usage = strings.TrimSpace(call.cmd.English() + " " + call.cmd.UsageEn)
	}
	if lim.changes {
		return (&UserError{
			Ro: "Argumente în plus, nefolosite: " + extra + ". Forma comenzii: " + usage + ". Nu s-a modificat nimic.",
			En: "Extra arguments, not used: " + extraEn + ". The command's form: " + usage + ". Nothing was changed.",
		}).reply(call)
	}
	r := e.run(call)
	if r.Kind == OK && !r.Silent {
		r.Lines = append(r.Lines, call.T("(Nefolosit: %s; forma comenzii: %s.)", "(Not used: %s; the command's form: %s.)",
			call.Lang.pick(extra, extraEn), usage))
	}
	return r
}
