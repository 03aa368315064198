package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// KindChat is the audit kind of a chat that moved (a Telegram group that
// became a supergroup).
const KindChat = "chat"

// ChatMove is what MigrateChat changed.
type ChatMove struct {
	Departments []string // the departments whose chat was the old one
	Bindings    int      // the posted messages moved to the new chat
}

func movedKey(platform, chat string) []byte { return key(pState, "moved/", platform, "/", chat) }

// MigrateChat records that a chat has a new ID (Telegram's
// migrate_to_chat_id) and updates every stored reference to it, once, in one
// audited transaction: the departments whose chat it was, the bindings of the
// messages posted there (so that replies to a card are still about its
// item), and a forwarding record that addresses configured outside the
// database (CABINET_CHANNELS) follow (MovedChat). A second call for the same
// move changes nothing and reports changed false.
func (s *Store) MigrateChat(ctx context.Context, platform, from, to string, m Meta) (mv ChatMove, changed bool, err error) {
	if from == "" || to == "" || from == to || strings.Contains(platform+from+to, "/") {
		return mv, false, fmt.Errorf("migrate chat %s:%s → %s: bad chat IDs", platform, from, to)
	}
	err = s.update(ctx, func(t *Txn) error {
		mv, changed = ChatMove{}, false
		if b, err := t.get(movedKey(platform, from)); err == nil && string(b) == to {
			return nil
		} else if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if err := t.set(movedKey(platform, from), []byte(to)); err != nil {
			return err
		}
		if err := t.moveDepartments(platform, from, to, m, &mv); err != nil {
			return err
		}
		if err := t.moveBindings(platform, from, to, &mv); err != nil {
			return err
		}
		changed = true
		note := fmt.Sprintf("%d departamente, %d mesaje", len(mv.Departments), mv.Bindings)
		if err := t.audit(m, KindChat, platform+":"+from, "migrate", platform+":"+from, platform+":"+to, note); err != nil {
			return err
		}
		return t.owe(m, Made{Chat: &mv})
	})
	if err == nil && len(mv.Departments) > 0 {
		s.dirVersion.Add(1)
	}
	return mv, changed, err
}

func (t *Txn) moveDepartments(platform, from, to string, m Meta, mv *ChatMove) error {
	all, err := t.departments()
	if err != nil {
		return err
	}
	for code, d := range all {
		before := d
		switch {
		case platform == "telegram" && d.TelegramChat == from:
			d.TelegramChat = to
		case platform == "slack" && d.SlackChannel == from:
			d.SlackChannel = to
		default:
			continue
		}
		if err := t.setJSON(deptKey(code), d); err != nil {
			return err
		}
		if err := t.audit(m, KindDepartment, code, "migrate-chat", before, d, from+" → "+to); err != nil {
			return err
		}
		mv.Departments = append(mv.Departments, code)
	}
	return nil
}

// moveBindings re-keys the messages posted in the old chat to the new one.
func (t *Txn) moveBindings(platform, from, to string, mv *ChatMove) error {
	prefix := key(pMessage, platform, "/", from, "/")
	type binding struct{ id, num string }
	var found []binding
	it := t.txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		v, err := it.Item().ValueCopy(nil)
		if err != nil {
			it.Close()
			return err
		}
		found = append(found, binding{id: string(it.Item().Key()[len(prefix):]), num: string(v)})
	}
	it.Close()
	for _, b := range found {
		n, ok := numberFromID(b.num)
		if !ok {
			continue
		}
		old := MessageRef{Platform: platform, Chat: from, ID: b.id}
		moved := MessageRef{Platform: platform, Chat: to, ID: b.id}
		for _, k := range [][]byte{messageKey(old), itemMessageKey(n, old)} {
			if err := t.del(k); err != nil {
				return err
			}
		}
		if err := t.set(messageKey(moved), []byte(b.num)); err != nil {
			return err
		}
		if err := t.set(itemMessageKey(n, moved), nil); err != nil {
			return err
		}
		mv.Bindings++
	}
	return nil
}

// MovedChat returns the chat a chat moved to ("" when it did not move).
func (s *Store) MovedChat(platform, chat string) (string, error) {
	return s.getString(movedKey(platform, chat))
}
