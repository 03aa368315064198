package commands

import (
	"strings"
)

func helpCommands() []*Command {
	return []*Command{
		{Name: "ajutor", Aliases: []string{"help", "?"}, Roles: everyone, Group: groupHelp,
			Usage: "[COMANDĂ]", UsageEn: "[COMMAND]",
			Summary: "comenzile pe care le puteți folosi, sau una pe larg", SummaryEn: "the commands you may use, or one in full",
			Examples: []string{"ajutor", "ajutor inregistreaza", "help register"}, Run: runHelp},
	}
}

// runHelp lists what the caller may run (and nothing else), or explains one
// command with its keys and examples.
func runHelp(c *Call) (Reply, error) {
	if len(c.Args) > 0 {
		cmd, _, _ := c.e.table.Lookup(c.Args)
		if cmd == nil || !c.Caller.may(cmd.Roles) {
			return Reply{}, c.Fail("Nu cunosc comanda „%s”.", "I do not know the command “%s”.", strings.Join(c.Args, " "))
		}
		return c.helpFor(cmd), nil
	}
	r := Reply{Title: c.T("Comenzi (rol: %s)", "Commands (role: %s)", c.Caller.Role), Private: true}
	group := ""
	for _, cmd := range c.e.table.Commands() {
		if !c.Caller.may(cmd.Roles) {
			continue
		}
		if cmd.Group != group {
			group = cmd.Group
			r.Lines = append(r.Lines, "", strings.ToUpper(c.T(groupNames[group][0], groupNames[group][1])))
		}
		r.Lines = append(r.Lines, c.name(cmd)+" — "+c.T(cmd.Summary, cmd.SummaryEn))
	}
	r.Lines = append(r.Lines, "", c.T("„ajutor COMANDĂ” arată o comandă pe larg.", "“help COMMAND” shows one command in full."))
	return r, nil
}

// name is the command's name in the caller's language.
func (c *Call) name(cmd *Command) string {
	if c.Lang == English {
		return cmd.English()
	}
	return cmd.Name
}

func (c *Call) helpFor(cmd *Command) Reply {
	usage := c.T(cmd.Usage, cmd.UsageEn)
	r := Reply{Title: strings.TrimSpace(c.name(cmd) + " " + usage), Private: true}
	r.Lines = append(r.Lines, c.T(cmd.Summary, cmd.SummaryEn))
	r.Lines = append(r.Lines, c.T("Nume: %s", "Names: %s", strings.Join(append([]string{cmd.Name}, cmd.Aliases...), ", ")))
	for _, ex := range cmd.Examples {
		r.Lines = append(r.Lines, c.T("Exemplu: %s", "Example: %s", ex))
	}
	return r
}
