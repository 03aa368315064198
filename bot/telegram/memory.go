package telegram

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// The pages of long replies and the half-filled forms of buttons are kept in
// memory, not in Badger. Pages are a rendering of an answer to a read-only
// question: writing them to the register's durable store on every long list
// would cost a synced write for nothing, and a "More" pressed after a
// restart is simply answered "ask again" (the question is one tap away).
// A form waits for one reply for a few minutes; after a restart the button
// is pressed again. Both are bounded in number and in age.

const (
	pageTTL  = 24 * time.Hour
	maxSets  = 1000
	formTTL  = 30 * time.Minute
	maxForms = 1000
)

// pageSet is a paged reply: its pages, the buttons of its first message, and
// where it was sent.
type pageSet struct {
	chat    int64
	pages   []string
	actions [][]models.InlineKeyboardButton
	english bool
	at      time.Time
}

type pageStore struct {
	mu    sync.Mutex
	sets  map[string]*pageSet
	order []string // oldest first
}

func newPageStore() *pageStore { return &pageStore{sets: map[string]*pageSet{}} }

// put keeps a set and returns its ID (8 hex digits: the callback data is
// small).
func (s *pageStore) put(p *pageSet) string {
	id := randomID()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sets[id] = p
	s.order = append(s.order, id)
	for len(s.order) > maxSets || (len(s.order) > 0 && p.at.Sub(s.sets[s.order[0]].at) > pageTTL) {
		delete(s.sets, s.order[0])
		s.order = s.order[1:]
	}
	return id
}

func (s *pageStore) get(id string, now time.Time) (*pageSet, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.sets[id]
	if !ok || now.Sub(p.at) > pageTTL {
		return nil, false
	}
	return p, true
}

func randomID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b)
}

// form is a button that needs input (the answer's number…): the bot asked
// for it with a ForceReply prompt and waits for the presser's reply to it.
type form struct {
	chat    int64
	prompt  int // the prompt's message ID
	user    int64
	command string   // e.g. "rezolva 12/2026"
	inputs  []string // the keys the reply fills, in order
	english bool
	at      time.Time
}

type formKey struct {
	chat   int64
	prompt int
}

type formStore struct {
	mu    sync.Mutex
	forms map[formKey]form
}

func newFormStore() *formStore { return &formStore{forms: map[formKey]form{}} }

func (s *formStore) put(f form) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.forms) >= maxForms {
		for k, old := range s.forms {
			if f.at.Sub(old.at) > formTTL || len(s.forms) >= maxForms {
				delete(s.forms, k)
			}
		}
	}
	s.forms[formKey{f.chat, f.prompt}] = f
}

// take returns and forgets the form a reply answers, if the one replying is
// the one who pressed the button and it is not too old.
func (s *formStore) take(chat int64, prompt int, user int64, now time.Time) (form, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := formKey{chat, prompt}
	f, ok := s.forms[k]
	if !ok || f.user != user {
		return form{}, false
	}
	delete(s.forms, k)
	return f, now.Sub(f.at) <= formTTL
}
