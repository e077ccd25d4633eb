package store

import (
	"context"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

// Sweep closes what is due: conversations silent for their bot's
// auto_close_after, and processing locks past their deadline. Each is one
// set-based conditional update, so every node may sweep at once; a row is
// handled by exactly one of them. It returns how many of each it did.
func (s *Store) Sweep(ctx context.Context) (closed, unlocked int, err error) {
	err = s.tx(ctx, func(t *txn) error {
		// Where each due conversation stood, for the counters' Move; read
		// first because RETURNING gives only the new values.
		due, err := t.placements(`SELECT id, phase, COALESCE(assignee_id, ''), COALESCE(team_id, '') FROM conversations
			WHERE auto_close_at <= $1 AND phase <> 'closed'`, ms(t.now))
		if err != nil {
			return err
		}
		rows, err := t.query(`UPDATE conversations SET phase = 'closed', closed_reason = 'auto_closed', closed_at = $1,
			auto_close_at = NULL, locked_until = NULL, lock_id = NULL, version = version + 1, updated_at = $1
			WHERE auto_close_at <= $1 AND phase <> 'closed' RETURNING id`, ms(t.now))
		if err != nil {
			return fmt.Errorf("store: auto-close: %w", err)
		}
		ids, err := collectIDs(rows)
		if err != nil {
			return err
		}
		for _, id := range ids {
			c, err := t.s.getConversation(t.ctx, t.tx, id, "")
			if err != nil {
				return err
			}
			if prev, ok := due[id]; ok {
				if err := t.moved(&c, prev); err != nil {
					return err
				}
			}
			ev := desk.Event{Type: desk.EventAutoClosed, From: deref(c.AssigneeID)}
			if err := t.addEvent(&c, desk.SystemActor, ev, "Closed after inactivity"); err != nil {
				return err
			}
			if err := t.closed(c.ID); err != nil {
				return err
			}
		}
		closed = len(ids)
		rows, err = t.query(`UPDATE conversations SET locked_until = NULL, lock_id = NULL
			WHERE locked_until IS NOT NULL AND locked_until <= $1 RETURNING id`, ms(t.now))
		if err != nil {
			return fmt.Errorf("store: lock expiry: %w", err)
		}
		if ids, err = collectIDs(rows); err != nil {
			return err
		}
		for _, id := range ids {
			c, err := t.s.getConversation(t.ctx, t.tx, id, "")
			if err != nil {
				return err
			}
			if err := t.touch(&c); err != nil {
				return err
			}
		}
		unlocked = len(ids)
		return nil
	})
	return closed, unlocked, err
}

// placements reads id → placement for the rows of q.
func (t *txn) placements(q string, args ...any) (map[string]desk.Placement, error) {
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: placements: %w", err)
	}
	defer rows.Close()
	out := map[string]desk.Placement{}
	for rows.Next() {
		var id string
		var p desk.Placement
		if err := rows.Scan(&id, &p.Phase, &p.AssigneeID, &p.TeamID); err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, rows.Err()
}
