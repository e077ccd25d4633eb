package store

import (
	"context"

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
