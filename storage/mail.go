package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Proposal statuses.
const (
	ProposalOpen       = "propusa"
	ProposalRegistered = "inregistrata"
	ProposalIgnored    = "ignorata"
)

// ErrProposalClosed is returned when a proposal was already registered or
// ignored.
var ErrProposalClosed = errors.New("the proposal was already handled")

// Proposal is an e-mail of the Cabinet's mailbox proposed for registration.
type Proposal struct {
	ID        int       `json:"id"`
	MessageID string    `json:"message_id"`
	FromName  string    `json:"from_name,omitempty"`
	FromAddr  string    `json:"from_addr,omitempty"`
	Subject   string    `json:"subject,omitempty"`
	Date      time.Time `json:"date,omitzero"`
	Received  time.Time `json:"received"`
	// Text is the beginning of the message's text.
	Text string `json:"text,omitempty"`
	// SenderType and Category are the guesses (commands' vocabulary).
	SenderType string    `json:"sender_type"`
	Category   string    `json:"category"`
	Files      []FileRef `json:"files,omitempty"`
	// Notes say what could not be read (no sender, a broken part…).
	Notes  []string `json:"notes,omitempty"`
	Status string   `json:"status"`
	Number Number   `json:"number,omitzero"`
}

func proposalKey(id int) []byte { return key(pProposal, fmt.Sprintf("%08d", id)) }

func proposalMsgKey(msgID string) []byte { return key(pProposalMsgID, msgID) }

// Propose keeps an e-mail as a proposal, with its attachments (stored
// before with PutFile), and owes its card (m.Outbox). An e-mail whose
// Message-ID was proposed before is not proposed again: the first proposal
// is returned with fresh false, whatever became of it.
func (s *Store) Propose(ctx context.Context, p Proposal, m Meta) (saved Proposal, fresh bool, err error) {
	if p.MessageID == "" {
		return Proposal{}, false, errors.New("propose: no Message-ID")
	}
	err = s.update(ctx, func(t *Txn) error {
		saved, fresh = p, false
		b, err := t.get(proposalMsgKey(p.MessageID))
		switch {
		case err == nil:
			id, _ := strconv.Atoi(string(b))
			return t.getJSON(proposalKey(id), &saved)
		case !errors.Is(err, ErrNotFound):
			return err
		}
		seq, err := t.next([]byte(kProposalSeq))
		if err != nil {
			return err
		}
		saved.ID, saved.Status, fresh = int(seq), ProposalOpen, true
		if err := t.set(proposalMsgKey(p.MessageID), []byte(strconv.Itoa(saved.ID))); err != nil {
			return err
		}
		for _, f := range saved.Files {
			if err := t.UseFile(f, string(proposalKey(saved.ID))); err != nil {
				return err
			}
		}
		if err := t.setJSON(proposalKey(saved.ID), saved); err != nil {
			return err
		}
		if err := t.audit(m, KindMail, strconv.Itoa(saved.ID), "propose", nil, saved, saved.MessageID); err != nil {
			return err
		}
		return t.owe(m, Made{Proposal: &saved})
	})
	return saved, fresh, err
}

// ProposalByID returns one proposal.
func (s *Store) ProposalByID(id int) (Proposal, error) {
	var p Proposal
	err := s.view(func(txn *badger.Txn) error { return readJSON(txn, proposalKey(id), &p) })
	return p, err
}

// Proposals lists the proposals still open, oldest first.
func (s *Store) Proposals() ([]Proposal, error) {
	var out []Proposal
	err := s.view(func(txn *badger.Txn) error {
		return scanJSON(txn, []byte(pProposal), func(p *Proposal) {
			if p.Status == ProposalOpen {
				out = append(out, *p)
			}
		})
	})
	return out, err
}

// RegisterProposal registers an open proposal as it: the next number of
// year, the item (its MessageID and files set from the proposal), its
// audit entry, the proposal closed, and the messages owed (m.Outbox, e.g. an
// acknowledgement to the sender), in one transaction. A proposal already
// handled gives ErrProposalClosed and the proposal.
func (s *Store) RegisterProposal(ctx context.Context, id, year int, it Item, m Meta) (saved Item, p Proposal, err error) {
	err = s.update(ctx, func(t *Txn) error {
		saved = it
		if err := t.getJSON(proposalKey(id), &p); err != nil {
			return fmt.Errorf("proposal %d: %w", id, err)
		}
		if p.Status != ProposalOpen {
			return ErrProposalClosed
		}
		before := p
		seq, err := t.next(counterKey(year))
		if err != nil {
			return err
		}
		saved.Number = Number{Year: year, Seq: int(seq)}
		saved.MessageID, saved.Files = p.MessageID, append([]FileRef(nil), p.Files...)
		t.handOut(year, seq)
		if err := t.putItem(nil, &saved); err != nil {
			return err
		}
		for _, f := range saved.Files {
			if err := t.UseFile(f, string(itemKey(saved.Number))); err != nil {
				return err
			}
		}
		if err := t.audit(m, KindItem, saved.Number.String(), "register", nil, saved, "e-mail "+p.MessageID); err != nil {
			return err
		}
		p.Status, p.Number = ProposalRegistered, saved.Number
		if err := t.setJSON(proposalKey(id), p); err != nil {
			return err
		}
		if err := t.audit(m, KindMail, strconv.Itoa(id), "register", before, p, saved.Number.String()); err != nil {
			return err
		}
		return t.owe(m, Made{Items: []Item{saved}, Proposal: &p})
	})
	if errors.Is(err, ErrProposalClosed) {
		return Item{}, p, err
	}
	return saved, p, err
}

// IgnoreProposal closes an open proposal without registering it.
func (s *Store) IgnoreProposal(ctx context.Context, id int, m Meta) (p Proposal, err error) {
	err = s.update(ctx, func(t *Txn) error {
		if err := t.getJSON(proposalKey(id), &p); err != nil {
			return fmt.Errorf("proposal %d: %w", id, err)
		}
		if p.Status != ProposalOpen {
			return ErrProposalClosed
		}
		before := p
		p.Status = ProposalIgnored
		if err := t.setJSON(proposalKey(id), p); err != nil {
			return err
		}
		return t.audit(m, KindMail, strconv.Itoa(id), "ignore", before, p, "")
	})
	return p, err
}
