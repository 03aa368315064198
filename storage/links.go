package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// A link code lets a person tie a chat identity to a role without an admin
// typing their ID: an admin asks for a code for a role, gives it to the
// person, and the person sends it to the bot (Telegram: /start CODE). A code
// is valid for a short time and only once.

// Link is a one-time code waiting to be redeemed, or redeemed. The code itself
// is not kept: the key is its SHA-256, so a copy of the database (a backup)
// gives away no valid code.
type Link struct {
	Role      string    `json:"role"`
	Dept      string    `json:"dept,omitempty"`
	Name      string    `json:"name,omitempty"`
	Platform  string    `json:"platform"` // where it may be redeemed: telegram
	CreatedBy string    `json:"created_by"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
	UsedBy    string    `json:"used_by,omitempty"`
	UsedAt    time.Time `json:"used_at,omitzero"`
}

// Link errors.
var (
	ErrLinkExpired = errors.New("the code has expired")
	ErrLinkUsed    = errors.New("the code was already used")
)

// linkTTL is how long a code's record is kept after it was made: long after it
// stops being valid, so that a late redemption is told "expired" rather than
// "unknown"; the audit trail keeps the history for good.
const linkTTL = 30 * 24 * time.Hour

// KindLink is the audit kind of link codes.
const KindLink = "l"

func linkHash(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

func linkKey(code string) []byte { return key(pLink, linkHash(code)) }

// LinkID is how a code appears in the audit trail and the logs: a short
// fingerprint that does not reveal the code.
func LinkID(code string) string { return linkHash(code)[:12] }

// CreateLink stores a new code; ErrExists when the code is taken (the caller
// draws another).
func (s *Store) CreateLink(ctx context.Context, code string, l Link, m Meta) error {
	return s.update(ctx, func(t *Txn) error {
		k := linkKey(code)
		if ok, err := t.exists(k); err != nil || ok {
			if ok {
				return fmt.Errorf("link code: %w", ErrExists)
			}
			return err
		}
		if err := t.setLink(k, l); err != nil {
			return err
		}
		return t.audit(m, KindLink, LinkID(code), "create", nil, l, "")
	})
}

func (t *Txn) setLink(k []byte, l Link) error {
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("encode link: %w", err)
	}
	return t.setEntry(badger.NewEntry(k, b).WithTTL(linkTTL))
}

// RedeemLink uses a code for an identity, in one transaction: the code must
// exist, be unexpired at m.At and unused; then the identity gets the code's
// role (replacing any role it had), the code is marked used, and both changes
// are audited. Redeeming again a code the same identity already used changes
// nothing and succeeds (a redelivered message). Errors: ErrNotFound,
// ErrLinkExpired, ErrLinkUsed.
func (s *Store) RedeemLink(ctx context.Context, code, identity, name string, m Meta) (Link, error) {
	var out Link
	err := s.update(ctx, func(t *Txn) error {
		k := linkKey(code)
		var l Link
		if err := t.getJSON(k, &l); err != nil {
			return err
		}
		out = l
		switch {
		case l.Platform != "" && !strings.HasPrefix(identity, l.Platform+":"):
			return ErrNotFound // a Telegram code is no code on another platform
		case l.UsedBy == identity:
			return nil // a redelivery: its messages were queued the first time
		case l.UsedBy != "":
			return ErrLinkUsed
		case !m.At.Before(l.Expires):
			return ErrLinkExpired
		}
		var before *Person
		var prev Person
		if err := t.getJSON(personKey(identity), &prev); err == nil {
			before = &prev
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		p := Person{Identity: identity, Name: l.Name, Role: l.Role, Dept: l.Dept, GrantedBy: l.CreatedBy, At: m.At}
		if p.Name == "" {
			p.Name = name
		}
		if err := t.setJSON(personKey(identity), p); err != nil {
			return err
		}
		if err := t.audit(m, KindPerson, identity, "grant", before, p, "link "+LinkID(code)); err != nil {
			return err
		}
		used := l
		used.UsedBy, used.UsedAt = identity, m.At
		if err := t.setLink(k, used); err != nil {
			return err
		}
		out = used
		if err := t.audit(m, KindLink, LinkID(code), "redeem", l, used, ""); err != nil {
			return err
		}
		return t.owe(m, Made{Link: &used})
	})
	return out, err
}
