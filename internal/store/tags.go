package store

import (
	"context"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

// AddTag labels a conversation. Adding a tag it already has changes
// nothing and records nothing.
func (s *Store) AddTag(ctx context.Context, actor desk.Actor, convID, tagID string) (desk.Conversation, error) {
	return s.retag(ctx, actor, convID, tagID, true)
}

// RemoveTag takes a label off a conversation.
func (s *Store) RemoveTag(ctx context.Context, actor desk.Actor, convID, tagID string) (desk.Conversation, error) {
	return s.retag(ctx, actor, convID, tagID, false)
}

func (s *Store) retag(ctx context.Context, actor desk.Actor, convID, tagID string, add bool) (desk.Conversation, error) {
	return s.run(ctx, actor, func(t *txn) (string, error) {
		c, err := t.loadForChange(convID, actor, desk.ActTag)
		if err != nil {
			return "", err
		}
		tag, err := getTag(t.ctx, t.tx, tagID)
		if err != nil {
			return "", err
		}
		q := `DELETE FROM conversation_tags WHERE conversation_id = $1 AND tag_id = $2`
		typ, text := desk.EventTagRemoved, "Tag removed: "+tag.Name
		if add {
			q = `INSERT INTO conversation_tags (conversation_id, tag_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`
			typ, text = desk.EventTagAdded, "Tag added: "+tag.Name
		}
		res, err := t.exec(q, c.ID, tag.ID)
		if err != nil {
			return "", err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return c.ID, nil
		}
		return c.ID, t.addEvent(&c, actor, desk.Event{Type: typ, To: tag.ID}, text)
	})
}

// MarkRead records that user has read the conversation up to now, and
// clears a "mark unread".
func (s *Store) MarkRead(ctx context.Context, actor desk.Actor, convID string) (desk.Conversation, error) {
	return s.setRead(ctx, actor, convID, false)
}

// MarkUnread flags the conversation unread for user until they open it again.
func (s *Store) MarkUnread(ctx context.Context, actor desk.Actor, convID string) (desk.Conversation, error) {
	return s.setRead(ctx, actor, convID, true)
}

func (s *Store) setRead(ctx context.Context, actor desk.Actor, convID string, unread bool) (desk.Conversation, error) {
	c, err := s.getConversation(ctx, s.r, convID, viewerOf(actor))
	if err != nil {
		return c, err
	}
	if err := desk.CheckReadState(c, actor); err != nil {
		return desk.Conversation{}, err
	}
	err = s.tx(ctx, func(t *txn) error {
		// Row-lock the conversation first (a no-op update) so a customer
		// message committing meanwhile is either seen here or sees this
		// row: reads.unread_since (migration 0005) stays exact on
		// PostgreSQL too.
		if _, err := t.exec(`UPDATE conversations SET seq = seq WHERE id = $1`, c.ID); err != nil {
			return err
		}
		if unread {
			// Never read: unread from the first customer message.
			_, err := t.exec(`INSERT INTO reads (user_id, conversation_id, last_read_seq, marked_unread, unread_since)
				VALUES ($1, $2, 0, 1, (SELECT first_contact_at FROM conversations WHERE id = $2))
				ON CONFLICT (user_id, conversation_id) DO UPDATE SET marked_unread = 1`, actor.User.ID, c.ID)
			return err
		}
		_, err := t.exec(`INSERT INTO reads (user_id, conversation_id, last_read_seq, marked_unread, unread_since)
			VALUES ($1, $2, (SELECT seq FROM conversations WHERE id = $2), 0, NULL)
			ON CONFLICT (user_id, conversation_id) DO UPDATE SET last_read_seq = excluded.last_read_seq, marked_unread = 0,
				unread_since = NULL`,
			actor.User.ID, c.ID)
		return err
	})
	if err != nil {
		return c, fmt.Errorf("store: read state: %w", err)
	}
	return s.getConversation(ctx, s.w, convID, actor.User.ID)
}
