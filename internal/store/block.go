package store

import (
	"context"

	"github.com/relevo/relevo/internal/desk"
)

// BlockContactByID blocks a contact from the contact panel: every open
// conversation of it is closed as a block (each checked like
// BlockContact: assignee or supervisor, not while locked). A contact with
// nothing open may be blocked by supervisors and admins.
func (s *Store) BlockContactByID(ctx context.Context, actor desk.Actor, contactID string) (desk.Contact, error) {
	c, err := s.VisibleContact(ctx, actor, contactID)
	if err != nil {
		return c, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM conversations WHERE contact_id = $1 AND phase <> 'closed'`, contactID)
	if err != nil {
		return c, err
	}
	ids, err := collectIDs(rows)
	if err != nil {
		return c, err
	}
	if err := desk.CheckBlockContact(actor, len(ids)); err != nil {
		return c, err
	}
	if len(ids) == 0 {
		// Read it back: c is from before the block and says blocked false.
		if err := s.setBlocked(ctx, contactID, true); err != nil {
			return c, err
		}
		return s.GetContact(ctx, contactID)
	}
	for _, id := range ids {
		if _, err := s.BlockContact(ctx, actor, id); err != nil {
			return c, err
		}
	}
	return s.GetContact(ctx, contactID)
}

// UnblockContact lets a contact's messages open conversations again.
func (s *Store) UnblockContact(ctx context.Context, actor desk.Actor, contactID string) (desk.Contact, error) {
	if _, err := s.VisibleContact(ctx, actor, contactID); err != nil {
		return desk.Contact{}, err
	}
	if err := s.setBlocked(ctx, contactID, false); err != nil {
		return desk.Contact{}, err
	}
	return s.GetContact(ctx, contactID)
}

func (s *Store) setBlocked(ctx context.Context, id string, blocked bool) error {
	return s.tx(ctx, func(t *txn) error {
		_, err := t.exec(`UPDATE contacts SET blocked = $2, updated_at = $3 WHERE id = $1`, id, boolInt(blocked), ms(t.now))
		return err
	})
}

// BlockContact closes the conversation and blocks its contact: later
// inbound messages are stored and flagged but open nothing.
func (s *Store) BlockContact(ctx context.Context, actor desk.Actor, id string) (desk.Conversation, error) {
	return s.run(ctx, actor, func(t *txn) (string, error) {
		c, d, err := t.decide(id, actor, desk.ActBlock, desk.Target{})
		if err != nil {
			return "", err
		}
		if _, err := t.exec(`UPDATE contacts SET blocked = 1, updated_at = $2 WHERE id = $1`, c.Contact.ID, ms(t.now)); err != nil {
			return "", err
		}
		if _, err := t.compareAndSet(&c, d); err != nil {
			return "", err
		}
		return c.ID, t.addEvent(&c, actor, desk.Event{Type: desk.EventBlocked, From: deref(c.AssigneeID)}, "Contact blocked")
	})
}
