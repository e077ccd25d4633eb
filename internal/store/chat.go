package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/relevo/relevo/internal/desk"
)

// SendChat stores an internal chat message between two users.
func (s *Store) SendChat(ctx context.Context, fromID, toID, text string) (desk.ChatMessage, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return desk.ChatMessage{}, desk.Invalid("text", "required")
	}
	if err := desk.CheckTextLen("text", text); err != nil {
		return desk.ChatMessage{}, err
	}
	if _, err := s.GetUser(ctx, toID); err != nil {
		return desk.ChatMessage{}, err
	}
	m := desk.ChatMessage{ID: s.ids.New(), FromID: fromID, ToID: toID, Text: text}
	err := s.tx(ctx, func(t *txn) error {
		m.CreatedAt = t.now
		_, err := t.exec(`INSERT INTO chat_messages (id, from_id, to_id, text, created_at) VALUES ($1, $2, $3, $4, $5)`,
			m.ID, fromID, toID, text, ms(t.now))
		t.changes = append(t.changes, desk.Change{Type: desk.ChangeChatMessage, UserID: fromID, ToUserID: toID, MessageID: m.ID})
		return err
	})
	return m, err
}

// ListChat returns the latest limit messages between two users, oldest first.
func (s *Store) ListChat(ctx context.Context, a, b string, limit int) ([]desk.ChatMessage, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, from_id, to_id, text, created_at FROM (
		SELECT id, from_id, to_id, text, created_at FROM chat_messages
		WHERE (from_id = $1 AND to_id = $2) OR (from_id = $2 AND to_id = $1)
		ORDER BY created_at DESC, id DESC LIMIT $3) AS page ORDER BY created_at, id`, a, b, limit)
	if err != nil {
		return nil, fmt.Errorf("store: list chat: %w", err)
	}
	defer rows.Close()
	out := []desk.ChatMessage{}
	for rows.Next() {
		var m desk.ChatMessage
		var created int64
		if err := rows.Scan(&m.ID, &m.FromID, &m.ToID, &m.Text, &created); err != nil {
			return nil, err
		}
		m.CreatedAt = fromMS(created)
		out = append(out, m)
	}
	return out, rows.Err()
}
