package commands

import (
	"fmt"
	"slices"
	"strings"
)

// ReferenceRO writes the command reference in Romanian Markdown, for the
// users' guide (docs/ghid.md). It is generated from the same table as help
// and as the English Reference, so the guide cannot drift from the bot.
func ReferenceRO() string {
	var b strings.Builder
	t := NewTable()
	for _, g := range groupOrder {
		fmt.Fprintf(&b, "### %s\n\n", groupNames[g][0])
		b.WriteString("| comanda | în engleză | cine o poate folosi | cum se scrie | ce face | exemplu |\n|---|---|---|---|---|---|\n")
		for _, c := range t.Commands() {
			if c.Group != g {
				continue
			}
			fmt.Fprintf(&b, "| `%s` | `%s` | %s | `%s` | %s | %s |\n",
				c.Name, c.English(), roleListRO(c.Roles), mdEscape(strings.TrimSpace(c.Name+" "+c.Usage)),
				mdEscape(c.Summary), exampleList(c.Examples))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// exampleList writes a command's examples as code spans, at most three.
func exampleList(examples []string) string {
	var parts []string
	for _, ex := range examples[:min(3, len(examples))] {
		parts = append(parts, "`"+mdEscape(ex)+"`")
	}
	return strings.Join(parts, "<br>")
}

// roleNamesRO are the roles as the users' guide names them.
var roleNamesRO = map[Role]string{
	RoleAdmin:   "administrator",
	RoleCabinet: "cabinet",
	RoleMayor:   "primar",
	RoleDept:    "departament",
	RoleViewer:  "vizualizare",
}

func roleListRO(roles []Role) string {
	if slices.Equal(roles, everyone) {
		return "oricine are un rol"
	}
	var parts []string
	for _, r := range roles {
		parts = append(parts, roleNamesRO[r])
	}
	return strings.Join(parts, ", ")
}
