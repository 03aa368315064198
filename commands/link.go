package commands

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"runtime/debug"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Linking a chat account: an admin asks for a one-time code for a role
// ("leaga telegram primar"), gives it to the person, and the person sends it
// to the bot (/start CODE on Telegram). The code is valid LinkValidity, once;
// the person never has to find out their numeric ID and the admin never has
// to type it.

// LinkValidity is how long a link code may be redeemed.
const LinkValidity = 15 * time.Minute

// linkAlphabet has no letters or digits that read alike (0/O, 1/I/L): the
// code is read off one screen and typed on a phone. 8 characters of 31 are
// about 40 bits: far beyond guessing within 15 minutes.
const (
	linkAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	linkLength   = 8
)

func linkCommands() []*Command {
	return []*Command{
		{Name: "leaga telegram", Aliases: []string{"link telegram", "leagă telegram"}, Roles: admins, Group: groupAdmin,
			Usage: `admin|cabinet|departament=COD|primar|vizualizare [nume="..."]`, UsageEn: `admin|cabinet|department=CODE|mayor|viewer [name="..."]`,
			Summary:   "un cod de unică folosință, valabil 15 minute, cu care cineva își leagă contul de Telegram de un rol: îi scrie botului /start COD",
			SummaryEn: "a one-time code, valid 15 minutes, with which someone links their Telegram account to a role: they send the bot /start CODE",
			Examples:  []string{"leaga telegram primar", "leaga telegram departament=DT", `link telegram viewer name="Ion Pop"`},
			Keys:      []Key{{"nume", "name"}, {"departament", "department"}}, Run: runLinkTelegram},
	}
}

func runLinkTelegram(c *Call) (Reply, error) {
	roleWord := ""
	if len(c.Args) > 0 {
		roleWord = c.Args[0]
	}
	dept, hasDept := c.Key("departament")
	if hasDept && roleWord == "" {
		roleWord = "departament"
	}
	if roleWord == "" {
		return Reply{}, c.Fail("Spuneți rolul pe care îl primește cine folosește codul.", "Say which role the code gives.")
	}
	if len(c.Args) > 1 {
		return Reply{}, c.Fail("Argument neînțeles: „%s”.", "Argument not understood: “%s”.", c.Args[1])
	}
	role, ok := roleWords[text.Fold(roleWord)]
	if !ok {
		return Reply{}, c.Fail("Rol necunoscut: „%s”. Roluri: admin, cabinet, departament=COD, primar, vizualizare.",
			"Unknown role: “%s”. Roles: admin, cabinet, department=CODE, mayor, viewer.", roleWord)
	}
	now := c.e.Now()
	l := storage.Link{Role: string(role), Platform: "telegram", CreatedBy: c.Caller.Key(), Created: now, Expires: now.Add(LinkValidity)}
	l.Name, _ = c.Key("nume")
	l.Name = strings.TrimSpace(l.Name)
	switch {
	case role == RoleDept && !hasDept:
		return Reply{}, c.Fail("Spuneți al cărui departament: departament=COD.", "Say which department: department=CODE.")
	case role == RoleDept:
		d, err := c.openDepartment(dept)
		if err != nil {
			return Reply{}, err
		}
		l.Dept = d.Code
	case hasDept:
		return Reply{}, c.Fail("Departamentul se dă doar pentru rolul departament.", "A department goes only with the department role.")
	}
	var code string
	for try := 0; ; try++ {
		var err error
		if code, err = newLinkCode(); err != nil {
			return Reply{}, err
		}
		err = c.e.store.CreateLink(c.Ctx, code, l, c.meta())
		if err == nil {
			break
		}
		if !errors.Is(err, storage.ErrExists) || try == 3 {
			return Reply{}, err
		}
	}
	what := string(role)
	if l.Dept != "" {
		what += " " + l.Dept
	}
	c.e.log.Info("link code issued", "by", c.Caller.Key(), "role", what, "code", storage.LinkID(code))
	return Reply{Private: true, Title: c.T("Cod de legare Telegram: %s", "Telegram link code: %s", code),
		Lines: []string{
			c.T("Persoana îi scrie botului pe Telegram: /start %s", "The person sends the bot on Telegram: /start %s", code),
			c.T("Rol: %s. Valabil până la %s (15 minute), o singură dată.", "Role: %s. Valid until %s (15 minutes), once.", what, l.Expires.Format("15:04")),
		}}, nil
}

// newLinkCode draws a code from a cryptographic source.
func newLinkCode() (string, error) {
	b := make([]byte, linkLength)
	max := big.NewInt(int64(len(linkAlphabet)))
	for i := range b {
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", err
		}
		b[i] = linkAlphabet[n.Int64()]
	}
	return string(b), nil
}

// normalizeLinkCode reads a code as people type it: any case, with spaces
// or dashes. ok is false when it cannot be a code.
func normalizeLinkCode(s string) (string, bool) {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(strings.TrimSpace(s)))
	if len(s) != linkLength {
		return s, false
	}
	for _, r := range s {
		if !strings.ContainsRune(linkAlphabet, r) {
			return s, false
		}
	}
	return s, true
}

// Redeem links the identity of a request to the role of a one-time code
// (Telegram: /start CODE). It runs before the access check, for the person
// has no role yet: a valid code grants its role, once, in one transaction
// with its audit entries, and tells the admin who made it. An expired or
// used code is answered with the reason (only its holder can send it); an
// unknown one is treated as any message from a stranger (told once, then
// silence). Every attempt is logged.
func (e *Engine) Redeem(ctx context.Context, req Request, code string) (reply Reply) {
	lang := req.Lang
	if lang == "" {
		lang = Romanian
	}
	who := req.Who.Key()
	defer func() {
		if r := recover(); r != nil {
			e.log.Error("link redemption panicked", "who", who, "panic", r, "stack", string(debug.Stack()))
			reply = failure(lang)
		}
	}()
	if req.EventID != "" {
		if st, err := e.store.EventState(req.EventID); err == nil && st == storage.EventReplied {
			return Reply{Silent: true}
		}
	}
	code, plausible := normalizeLinkCode(code)
	var l storage.Link
	var owed []Notice
	err := storage.ErrNotFound
	if plausible {
		m := storage.Meta{Who: who, At: e.Now(), EventID: req.EventID}
		m.Outbox = func(made storage.Made) ([]storage.Outgoing, error) {
			owed = linkNotices(*made.Link, who, req.Who.Name)
			return Outgoings(owed)
		}
		l, err = e.store.RedeemLink(ctx, code, who, req.Who.Name, m)
	}
	id := ""
	if plausible {
		id = storage.LinkID(code)
	}
	switch {
	case err == nil:
		what := l.Role
		if l.Dept != "" {
			what += " " + l.Dept
		}
		e.log.Info("link code redeemed", "who", who, "name", req.Who.Name, "role", what, "code", id, "issued_by", l.CreatedBy)
		r := Reply{Private: true, Title: lang.pick("Bun venit! Contul dumneavoastră (%s) are acum rolul %s.",
			"Welcome! Your account (%s) now has the role %s.", who, what),
			Lines: []string{lang.pick("Scrieți /ajutor pentru ce puteți folosi.", "Type /help for what you can use.")}}
		r.Notices = owed
		return r
	case errors.Is(err, storage.ErrLinkExpired):
		e.log.Warn("link code refused: expired", "who", who, "code", id)
		return Reply{Kind: Invalid, Private: true, Title: lang.pick(
			"Codul a expirat (era valabil 15 minute). Cereți unul nou la %s, comunicând identificatorul %s.",
			"The code has expired (it was valid 15 minutes). Ask %s for a new one, quoting the ID %s.", e.contact, who)}
	case errors.Is(err, storage.ErrLinkUsed):
		e.log.Warn("link code refused: already used", "who", who, "code", id, "used_by", l.UsedBy)
		return Reply{Kind: Invalid, Private: true, Title: lang.pick(
			"Codul a fost deja folosit; fiecare cod merge o singură dată. Cereți unul nou la %s, comunicând identificatorul %s.",
			"The code was already used; each code works once. Ask %s for a new one, quoting the ID %s.", e.contact, who)}
	case errors.Is(err, storage.ErrNotFound):
		e.log.Warn("link code refused: unknown", "who", who, "code", id)
		if _, known, _ := e.Caller(req.Who); known {
			return Reply{Kind: Invalid, Private: true, Title: lang.pick(
				"Codul nu este valabil. Verificați-l sau cereți unul nou.", "The code is not valid. Check it or ask for a new one.")}
		}
		return e.refuse(ctx, req, lang)
	default:
		e.log.Error("link redemption failed", "who", who, "code", id, "err", err)
		return failure(lang)
	}
}

func nameOr(name, def string) string {
	if strings.TrimSpace(name) == "" {
		return def
	}
	return name
}

// linkNotices tell the one who issued a code that it was used.
func linkNotices(l storage.Link, who, name string) []Notice {
	if l.CreatedBy == "" || l.CreatedBy == who {
		return nil
	}
	what := l.Role
	if l.Dept != "" {
		what += " " + l.Dept
	}
	return []Notice{{To: Recipient{Kind: ToPerson, ID: l.CreatedBy}, Reply: Reply{
		Title: Romanian.pick("Codul de legare a fost folosit: %s (%s) are acum rolul %s.", "", who, nameOr(name, "fără nume"), what)}}}
}
