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
		rows, err := t.query(`UPDATE users SET status = 'offline', pause_reason = '', status_since = $1
			WHERE status <> 'offline' AND last_seen_at IS NOT NULL AND last_seen_at < $2 AND deleted_at IS NULL
			RETURNING id`, ms(t.now), ms(t.now.Add(-grace)))
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
