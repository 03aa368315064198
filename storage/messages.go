package storage

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// MessageRef is a message the bot posted on a platform.
type MessageRef struct {
	Platform string // slack, telegram
	Chat     string // channel or chat ID
	ID       string // Slack ts, Telegram message_id
}

func messageKey(m MessageRef) []byte { return key(pMessage, m.Platform, "/", m.Chat, "/", m.ID) }

func itemMessageKey(n Number, m MessageRef) []byte {
	return key(pItemMessage, n.id(), "/", m.Platform, "/", m.Chat, "/", m.ID)
}

// BindMessage remembers that a posted message shows an item, so that a reply
// in its thread (Slack) or to it (Telegram) is about that item, and so that
// reminders can go to the item's threads.
func (s *Store) BindMessage(ctx context.Context, m MessageRef, n Number) error {
	if strings.Contains(m.Platform+m.Chat, "/") {
		return errors.New("bind message: platform and chat may not contain '/'")
	}
	return s.updateState(ctx, func(t *Txn) error {
		if err := t.set(messageKey(m), []byte(n.id())); err != nil {
			return err
		}
		return t.set(itemMessageKey(n, m), nil)
	})
}

// MessageItem returns the item a posted message shows (ErrNotFound if none).
func (s *Store) MessageItem(m MessageRef) (Number, error) {
	var n Number
	err := s.view(func(txn *badger.Txn) error {
		item, err := txn.Get(messageKey(m))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			var ok bool
			if n, ok = numberFromID(string(v)); !ok {
				return errors.New("bad message binding")
			}
			return nil
		})
	})
	return n, err
}

// ItemMessages lists the messages that showed an item, oldest binding first
// within each chat.
func (s *Store) ItemMessages(n Number) ([]MessageRef, error) {
	var out []MessageRef
	prefix := key(pItemMessage, n.id(), "/")
	err := s.view(func(txn *badger.Txn) error {
		scanKeys(txn, prefix, func(k []byte) bool {
			parts := strings.SplitN(string(k[len(prefix):]), "/", 3)
			if len(parts) == 3 {
				out = append(out, MessageRef{Platform: parts[0], Chat: parts[1], ID: parts[2]})
			}
			return true
		})
		return nil
	})
	return out, err
}

// State returns a piece of operational state (a Telegram offset, say): kept
// like a setting, but not audited, for it changes with every event.
func (s *Store) State(name string) (string, error) { return s.getString(key(pState, name)) }

// SetState stores a piece of operational state.
func (s *Store) SetState(ctx context.Context, name, value string) error {
	return s.updateState(ctx, func(t *Txn) error { return t.set(key(pState, name), []byte(value)) })
}

// pEventMessage is the prefix of posted messages that show an agenda event
// (a preparing department's notice): me/<platform>/<chat>/<msg> → event ID.
const pEventMessage = "me/"

func eventMessageKey(m MessageRef) []byte {
	return key(pEventMessage, m.Platform, "/", m.Chat, "/", m.ID)
}

// BindEventMessage remembers that a posted message shows an agenda event, so
// that a reply in its thread (a briefing note) is about that event.
func (s *Store) BindEventMessage(ctx context.Context, m MessageRef, event int) error {
	if strings.Contains(m.Platform+m.Chat, "/") {
		return errors.New("bind message: platform and chat may not contain '/'")
	}
	return s.updateState(ctx, func(t *Txn) error {
		return t.set(eventMessageKey(m), []byte(strconv.Itoa(event)))
	})
}

// MessageEvent returns the agenda event a posted message shows (ErrNotFound
// if none).
func (s *Store) MessageEvent(m MessageRef) (int, error) {
	var id int
	err := s.view(func(txn *badger.Txn) error {
		item, err := txn.Get(eventMessageKey(m))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			id, err = strconv.Atoi(string(v))
			return err
		})
	})
	return id, err
}
