package commands

import "strings"

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
}

var argLimits = map[string]argLimit{
	// register
	"arata":       {1, false},
	"prelungeste": {2, true},
	"conexeaza":   {2, true},
	"rezolva":     {1, true},
	"claseaza":    {1, true},
	"termen":      {2, false},
	"ciorna":      {1, false},
	// administration
	"rol":          {2, true},
	"persoane":     {0, false},
	"departamente": {0, false},
}

// checkExtra runs the call under its command's argLimit: a refusal for a
// command that changes something, a remark for one that reads.
func (e *Engine) checkExtra(call *Call) Reply {
	lim, ok := argLimits[call.cmd.Name]
	if !ok || len(call.Args) <= lim.max {
		return e.run(call)
	}
	extra := "„" + strings.Join(call.Args[lim.max:], "”, „") + "”"
	extraEn := "“" + strings.Join(call.Args[lim.max:], "”, “") + "”"
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
