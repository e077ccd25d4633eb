package store

import (
	"context"
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// TouchPresence records that users have a socket open now.
func (s *Store) TouchPresence(ctx context.Context, userIDs []string) error {
	if len(userIDs) == 0 {
		return nil
	}
	return s.tx(ctx, func(t *txn) error {
		w := &where{}
		now := w.arg(ms(t.now))
		_, err := t.exec(`UPDATE users SET last_seen_at = `+now+` WHERE id IN (`+w.in(userIDs)+`)`, w.args...)
		if err != nil {
			return fmt.Errorf("store: touch presence: %w", err)
		}
		return nil
	})
}

// SweepPresence sets offline every user whose last socket has been gone
// longer than grace. Users who never opened a socket (API-only use) are
// left alone. Safe on every node at once.
func (s *Store) SweepPresence(ctx context.Context, grace time.Duration) (int, error) {
	var n int
	err := s.tx(ctx, func(t *txn) error {
		rows, err := t.query(`UPDATE users SET status = 'offline', pause_reason = ''
			WHERE status <> 'offline' AND last_seen_at IS NOT NULL AND last_seen_at < $1 AND deleted_at IS NULL
			RETURNING id`, ms(t.now.Add(-grace)))
		if err != nil {
			return fmt.Errorf("store: sweep presence: %w", err)
		}
		ids, err := collectIDs(rows)
		if err != nil {
			return err
		}
		for _, id := range ids {
			t.changes = append(t.changes, desk.Change{Type: desk.ChangeAgentStatus, UserID: id})
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// TallyRow is one conversation's placement as of its seq.
type TallyRow struct {
	ID    string
	BotID string
	Seq   int64
	desk.Placement
}

// Tally lists every open conversation, and those closed since closedSince,
// with the seq their placement is as of: the base the live counters move
// from. The seq lets a counter skip a move it already holds and keep one
// newer than this read; the recently closed rows let it drop conversations
// whose close it missed.
func (s *Store) Tally(ctx context.Context, closedSince time.Time) ([]TallyRow, error) {
	const cols = `SELECT id, bot_id, seq, phase, COALESCE(assignee_id, ''), COALESCE(team_id, '') FROM conversations`
	rows, err := s.r.QueryContext(ctx, cols+` WHERE phase IN ('bot', 'waiting', 'human')
		UNION ALL `+cols+` WHERE phase = 'closed' AND updated_at >= $1`, ms(closedSince))
	if err != nil {
		return nil, fmt.Errorf("store: tally: %w", err)
	}
	defer rows.Close()
	var out []TallyRow
	for rows.Next() {
		var r TallyRow
		if err := rows.Scan(&r.ID, &r.BotID, &r.Seq, &r.Phase, &r.AssigneeID, &r.TeamID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// GetMessage reads one message (system use: scope is the caller's job).
func (s *Store) GetMessage(ctx context.Context, id string) (desk.Message, error) {
	return getMessage(ctx, s.r, id)
}

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
