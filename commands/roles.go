package commands

import (
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Role is what a person may do. Every command declares the roles that may
// run it; admins may run everything.
type Role string

// The roles.
const (
	RoleAdmin   Role = "admin"
	RoleCabinet Role = "cabinet"
	RoleMayor   Role = "primar"
	RoleDept    Role = "departament" // a member of one department
	RoleViewer  Role = "vizualizare"
)

// roleWords maps the words people type for a role (Romanian, English,
// folded) to the role.
var roleWords = map[string]Role{
	"admin": RoleAdmin, "administrator": RoleAdmin,
	"cabinet": RoleCabinet,
	"primar":  RoleMayor, "mayor": RoleMayor,
	"departament": RoleDept, "department": RoleDept,
	"vizualizare": RoleViewer, "viewer": RoleViewer,
}

// Role sets used by the command table.
var (
	everyone = []Role{RoleAdmin, RoleCabinet, RoleMayor, RoleDept, RoleViewer}
	staff    = []Role{RoleAdmin, RoleCabinet}
	admins   = []Role{RoleAdmin}
	// resolvers may close an item; department members only their own.
	resolvers = []Role{RoleAdmin, RoleCabinet, RoleDept}
	// readers see the whole register.
	readers = []Role{RoleAdmin, RoleCabinet, RoleMayor, RoleDept, RoleViewer}
)

// Identity is a chat identity: who is speaking, on which platform.
type Identity struct {
	Platform string // console, slack, telegram
	ID       string
	Name     string // display name, when the platform gives one
}

// Key is the identity as stored: platform:id.
func (i Identity) Key() string { return i.Platform + ":" + i.ID }

// ParseIdentity reads platform:id (slack:U012AB3CD, telegram:123456) or a
// Slack mention (<@U012AB3CD>); a bare name is taken on the given platform.
func ParseIdentity(s, platform string) (Identity, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<@") && strings.HasSuffix(s, ">") {
		id, _, _ := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(s, "<@"), ">"), "|")
		return Identity{Platform: "slack", ID: id}, id != ""
	}
	if p, id, ok := strings.Cut(s, ":"); ok {
		p = text.Fold(p)
		switch p {
		case "slack", "telegram", "console":
			return Identity{Platform: p, ID: id}, id != ""
		}
		return Identity{}, false
	}
	s = strings.TrimPrefix(s, "@")
	return Identity{Platform: platform, ID: s}, s != "" && !strings.ContainsAny(s, " /")
}

// Caller is the identity with the role it was found to have.
type Caller struct {
	Identity
	Role Role
	Dept string // the department of a department member
}

// may reports whether the caller's role is among roles (admins may do all).
func (c Caller) may(roles []Role) bool {
	if c.Role == RoleAdmin {
		return true
	}
	for _, r := range roles {
		if r == c.Role {
			return true
		}
	}
	return false
}

// isStaff reports whether the caller works in the Cabinet (or is an admin).
func (c Caller) isStaff() bool { return c.Role == RoleAdmin || c.Role == RoleCabinet }

// canSeeContact reports whether the caller may see the personal data of the
// sender of an item: the Cabinet, the Mayor, and the department that must
// answer it.
func (c Caller) canSeeContact(it storage.Item) bool {
	switch c.Role {
	case RoleAdmin, RoleCabinet, RoleMayor:
		return true
	case RoleDept:
		return c.Dept != "" && c.Dept == it.Dept
	}
	return false
}

// canResolve reports whether the caller may close an item: the Cabinet, or a
// member of the responsible department.
func (c Caller) canResolve(it storage.Item) bool {
	return c.isStaff() || (c.Role == RoleDept && c.Dept != "" && c.Dept == it.Dept)
}
