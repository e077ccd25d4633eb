package store

import (
	"context"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

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
	c, err := s.getConversation(ctx, s.reads, convID, viewerOf(actor))
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
		// A new row of a closed conversation is born closed (migration
		// 0024); the phase is read under the row lock taken above, so a
		// close committing meanwhile either sees this row or is seen.
		if unread {
			// Never read: unread from the first customer message.
			_, err := t.exec(`INSERT INTO reads (user_id, conversation_id, last_read_seq, marked_unread, unread_since, closed)
				SELECT $1, id, 0, 1, first_contact_at, `+closedFlag+` FROM conversations WHERE id = $2
				ON CONFLICT (user_id, conversation_id) DO UPDATE SET marked_unread = 1`, actor.User.ID, c.ID)
			return err
		}
		_, err := t.exec(`INSERT INTO reads (user_id, conversation_id, last_read_seq, marked_unread, unread_since, closed)
			SELECT $1, id, seq, 0, NULL, `+closedFlag+` FROM conversations WHERE id = $2
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

// closedFlag is reads.closed for a conversation row (migration 0024).
const closedFlag = `CASE WHEN phase = 'closed' THEN 1 ELSE 0 END`
