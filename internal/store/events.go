package store

import (
	"context"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

// Event is one entry of a conversation's change feed.
type Event struct {
	Seq       int64           `json:"seq"`
	Type      desk.ChangeType `json:"type"`
	MessageID string          `json:"message_id,omitempty"`
}

// Events lists a conversation's change feed after seq: gapless, one entry
// per committed change.
func (s *Store) Events(ctx context.Context, convID string, afterSeq int64) ([]Event, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, type, COALESCE(message_id, '') FROM events
		WHERE conversation_id = $1 AND seq > $2 ORDER BY seq`, convID, afterSeq)
	if err != nil {
		return nil, fmt.Errorf("store: events: %w", err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.Seq, &e.Type, &e.MessageID); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
