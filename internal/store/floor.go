package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// Hidden item kinds in monitor_hidden (migration 0007).
const (
	hiddenAgent = "agent"
	hiddenTeam  = "team"
)

// MonitorPreferences reads what userID hides from its monitor and its
// waiting threshold (the default when never set).
func (s *Store) MonitorPreferences(ctx context.Context, userID string) (desk.MonitorPreferences, error) {
	p := desk.MonitorPreferences{HiddenAgentIDs: []string{}, HiddenTeamIDs: []string{}, WaitingThresholdSeconds: desk.DefaultWaitingThreshold}
	var threshold *int64
	if err := s.r.QueryRowContext(ctx, `SELECT monitor_waiting_threshold FROM users WHERE id = $1`, userID).Scan(&threshold); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("store: monitor threshold: %w", err)
	}
	if threshold != nil {
		p.WaitingThresholdSeconds = int(*threshold)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT kind, item_id FROM monitor_hidden WHERE user_id = $1 ORDER BY kind, item_id`, userID)
	if err != nil {
		return p, fmt.Errorf("store: monitor preferences: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, id string
		if err := rows.Scan(&kind, &id); err != nil {
			return p, err
		}
		if kind == hiddenAgent {
			p.HiddenAgentIDs = append(p.HiddenAgentIDs, id)
		} else {
			p.HiddenTeamIDs = append(p.HiddenTeamIDs, id)
		}
	}
	return p, rows.Err()
}

// SetMonitorPreferences replaces userID's preferences with p (validated by
// desk.CheckMonitorPreferences) and returns them as stored.
func (s *Store) SetMonitorPreferences(ctx context.Context, userID string, p desk.MonitorPreferences) (desk.MonitorPreferences, error) {
	err := s.tx(ctx, func(t *txn) error {
		// Zero is unset: NULL reads back as the default.
		if _, err := t.exec(`UPDATE users SET monitor_waiting_threshold = NULLIF($2, 0) WHERE id = $1`, userID, p.WaitingThresholdSeconds); err != nil {
			return err
		}
		if _, err := t.exec(`DELETE FROM monitor_hidden WHERE user_id = $1`, userID); err != nil {
			return err
		}
		for kind, ids := range map[string][]string{hiddenAgent: p.HiddenAgentIDs, hiddenTeam: p.HiddenTeamIDs} {
			for _, id := range ids {
				if _, err := t.exec(`INSERT INTO monitor_hidden (user_id, kind, item_id) VALUES ($1, $2, $3)
					ON CONFLICT DO NOTHING`, userID, kind, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return desk.MonitorPreferences{}, fmt.Errorf("store: set monitor preferences: %w", err)
	}
	return s.MonitorPreferences(ctx, userID)
}

// QueueHealth is the monitor's queue health strip.
type QueueHealth struct {
	// LongestWaitSeconds is how long the longest-waiting conversation has
	// waited now (0 when none waits).
	LongestWaitSeconds int64 `json:"longest_wait_seconds"`
	// ThresholdSeconds and WaitingOverThreshold: how many conversations
	// have waited at least that long now.
	ThresholdSeconds     int64 `json:"threshold_seconds"`
	WaitingOverThreshold int   `json:"waiting_over_threshold"`
	// AgentsOnline and OnlineCapacity (the sum of their max_chats):
	// desk.FloorCapacity.
	AgentsOnline   int `json:"agents_online"`
	OnlineCapacity int `json:"online_capacity"`
	// Teams: the median wait of the assignments made over the last hour,
	// per team of the caller's bots.
	Teams []TeamWait `json:"teams"`
}

// TeamWait is one team's median wait over the last hour.
type TeamWait struct {
	TeamID string `json:"team_id"`
	Name   string `json:"name"`
	// MedianWaitSeconds is nil when nobody was assigned from the team's
	// queue in the last hour.
	MedianWaitSeconds *float64 `json:"median_wait_seconds"`
	Samples           int      `json:"samples"`
}

// healthWindow is how far back the median wait looks.
const healthWindow = time.Hour

// QueueHealth computes the health figures of botIDs (nil: every bot) now.
// A wait is from a conversation entering the queue (handover, transfer,
// unassign, reopen) to its next assignment; it counts for the
// conversation's team now, and an assignment made in the last hour counts.
func (s *Store) QueueHealth(ctx context.Context, botIDs []string, threshold time.Duration) (QueueHealth, error) {
	h := QueueHealth{ThresholdSeconds: int64(threshold / time.Second), Teams: []TeamWait{}}
	if botIDs != nil && len(botIDs) == 0 {
		return h, nil
	}
	now := s.clock.Now()
	w := &where{}
	w.add("c.phase = 'waiting'")
	if botIDs != nil {
		w.add("c.bot_id IN (" + w.in(botIDs) + ")")
	}
	var oldest *int64
	over := w.arg(ms(now.Add(-threshold)))
	if err := s.r.QueryRowContext(ctx, `SELECT MIN(c.waiting_since),
		COALESCE(SUM(CASE WHEN c.waiting_since <= `+over+` THEN 1 ELSE 0 END), 0) FROM conversations c`+w.sql(),
		w.args...).Scan(&oldest, &h.WaitingOverThreshold); err != nil {
		return h, fmt.Errorf("store: queue health: %w", err)
	}
	if oldest != nil && *oldest < ms(now) {
		h.LongestWaitSeconds = (ms(now) - *oldest) / 1000
	}
	users, err := s.ListUsers(ctx, botIDs)
	if err != nil {
		return h, err
	}
	h.AgentsOnline, h.OnlineCapacity = desk.FloorCapacity(users)
	waits, err := s.teamWaits(ctx, botIDs, now)
	if err != nil {
		return h, err
	}
	teams, err := s.ListTeams(ctx, botIDs)
	if err != nil {
		return h, err
	}
	for _, t := range teams {
		v := waits[t.ID]
		h.Teams = append(h.Teams, TeamWait{TeamID: t.ID, Name: t.Name, MedianWaitSeconds: median(v), Samples: len(v)})
	}
	return h, nil
}

// teamWaits lists, per team, the waits (seconds) ended by an assignment
// in the hour before now.
func (s *Store) teamWaits(ctx context.Context, botIDs []string, now time.Time) (map[string][]float64, error) {
	w := &where{}
	w.add("m.event_type = 'assigned'")
	w.add("m.created_at >= " + w.arg(ms(now.Add(-healthWindow))))
	w.add("m.created_at <= " + w.arg(ms(now)))
	w.add("c.team_id IS NOT NULL")
	if botIDs != nil {
		w.add("c.bot_id IN (" + w.in(botIDs) + ")")
	}
	rows, err := s.r.QueryContext(ctx, `SELECT c.team_id, m.created_at - (SELECT MAX(p.created_at) FROM messages p
		WHERE p.conversation_id = m.conversation_id AND p.seq < m.seq
		AND p.event_type IN ('handover', 'transferred', 'unassigned', 'reopened'))
		FROM messages m JOIN conversations c ON c.id = m.conversation_id`+w.sql(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: team waits: %w", err)
	}
	defer rows.Close()
	out := map[string][]float64{}
	for rows.Next() {
		var team string
		var wait *int64
		if err := rows.Scan(&team, &wait); err != nil {
			return nil, err
		}
		// A takeover from the bot never queued: no wait to count.
		if wait != nil {
			out[team] = append(out[team], float64(*wait)/1000)
		}
	}
	return out, rows.Err()
}
