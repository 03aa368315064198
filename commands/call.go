package commands

import (
	"context"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Call is one run of a command: who asked, in which language, with which
// arguments.
type Call struct {
	Ctx    context.Context
	Caller Caller
	Req    Request
	Lang   Lang
	// Args are the bare (positional) arguments after the command name.
	Args []string

	e    *Engine
	cmd  *Command
	keys map[string]string // canonical key → value
	owed []Notice          // the notices the call's change put in the outbox
}

func newCall(ctx context.Context, e *Engine, cmd *Command, caller Caller, req Request, lang Lang, tokens []Token) (*Call, *Reply) {
	c := &Call{Ctx: ctx, Caller: caller, Req: req, Lang: lang, e: e, cmd: cmd, keys: map[string]string{}}
	for _, t := range tokens {
		if t.Key == "" {
			c.Args = append(c.Args, t.Value)
			continue
		}
		name, ok := cmd.key(t.Key)
		if !ok {
			r := (&UserError{Ro: "Cheie necunoscută „" + t.Key + "” pentru „" + cmd.Name + "”; se pot folosi: " + cmd.keyList(Romanian) + ".",
				En: "Unknown key “" + t.Key + "” for “" + cmd.English() + "”; it takes: " + cmd.keyList(English) + "."}).reply(c)
			if len(cmd.Keys) == 0 {
				r.Title = lang.pick("Comanda „%s” nu primește argumente cheie=valoare.", "“%s” takes no key=value arguments.", cmd.Name)
			}
			return nil, &r
		}
		if _, dup := c.keys[name]; dup {
			r := (&UserError{Ro: "Cheia „" + name + "” apare de două ori.", En: "The key “" + name + "” is given twice."}).reply(c)
			return nil, &r
		}
		c.keys[name] = t.Value
	}
	if cmd.TakesItem && req.Item != "" {
		if len(c.Args) == 0 {
			c.Args = []string{req.Item}
		} else if _, isNumber := ParseNumber(c.Args[0], e.Now().Year()); !isNumber {
			c.Args = append([]string{req.Item}, c.Args...)
		}
	}
	return c, nil
}

// Key returns the value of a key=value argument by its canonical name.
func (c *Call) Key(name string) (string, bool) {
	v, ok := c.keys[name]
	return v, ok
}

// T picks the Romanian or English text and formats it.
func (c *Call) T(ro, en string, args ...any) string { return c.Lang.pick(ro, en, args...) }

// Fail returns a user error: the reply is the reason and an example of the
// right form, and nothing is changed.
func (c *Call) Fail(ro, en string, args ...any) error {
	return &UserError{Ro: Romanian.pick(ro, "", args...), En: English.pick("", en, args...)}
}

// meta describes a change made by this call.
func (c *Call) meta() storage.Meta {
	return storage.Meta{Who: c.Caller.Key(), At: c.e.Now(), EventID: c.Req.EventID}
}

// owe describes a change that owes notices: build runs inside the change's
// transaction with what it made, and its notices are written to the outbox
// in that transaction (delivered later by the outbox, never lost to a crash
// between the two). The reply lists them (Reply.Notices).
func (c *Call) owe(build func(storage.Made) []Notice) storage.Meta {
	m := c.meta()
	m.Outbox = func(made storage.Made) ([]storage.Outgoing, error) {
		ns := build(made)
		c.owed = append(c.owed[:0:0], ns...)
		return Outgoings(ns)
	}
	return m
}

// oweBatches is owe for a change written in several transactions (an
// import): the notices of each batch are kept, a batch being known by its
// first event's UID (a batch run again replaces its own).
func (c *Call) oweBatches(build func(storage.Made) []Notice) storage.Meta {
	m := c.meta()
	var order []string
	batches := map[string][]Notice{}
	m.Outbox = func(made storage.Made) ([]storage.Outgoing, error) {
		id := ""
		if len(made.Events) > 0 {
			id = made.Events[0].UID
		}
		if _, seen := batches[id]; !seen {
			order = append(order, id)
		}
		ns := build(made)
		batches[id] = ns
		c.owed = nil
		for _, k := range order {
			c.owed = append(c.owed, batches[k]...)
		}
		return Outgoings(ns)
	}
	return m
}

// UserError is bad input: the user gets its text and an example.
type UserError struct {
	Ro, En  string
	Example string // defaults to the command's example
}

func (u *UserError) Error() string { return u.En }

func (u *UserError) reply(c *Call) Reply {
	ex := u.Example
	if ex == "" {
		ex = c.cmd.example(c.Lang)
	}
	return invalid(c.Lang.pick(u.Ro, u.En), ex, c.Lang)
}

// example returns the command's first example in the language: the English
// one (starting with the English name) for English speakers when it has one.
func (cmd *Command) example(l Lang) string {
	if l == English {
		for _, ex := range cmd.Examples {
			if w, _, _ := strings.Cut(ex, " "); text.Fold(w) == text.Fold(cmd.English()) {
				return ex
			}
		}
	}
	return cmd.Examples[0]
}
