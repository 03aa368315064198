package storage

import (
	"context"
	"fmt"
)

// SetUnreachable records whether a person's chat refuses our messages (a bot
// the person blocked): the Hub stops sending to an unreachable chat, and the
// mark is lifted when the person writes to the bot again. It reports whether
// anything changed; an identity without a person record is left alone
// (ErrNotFound).
func (s *Store) SetUnreachable(ctx context.Context, identity string, unreachable bool, m Meta) (changed bool, err error) {
	err = s.updateState(ctx, func(t *Txn) error {
		changed = false
		var p Person
		if err := t.getJSON(personKey(identity), &p); err != nil {
			return fmt.Errorf("person %s: %w", identity, err)
		}
		if p.Unreachable == unreachable {
			return nil
		}
		before := p
		p.Unreachable = unreachable
		if err := t.setJSON(personKey(identity), p); err != nil {
			return err
		}
		changed = true
		action := "reachable"
		if unreachable {
			action = "unreachable"
		}
		return t.audit(m, KindPerson, identity, action, before, p, "")
	})
	return changed, err
}
