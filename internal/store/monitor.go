package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// Counters are the floor's live numbers.
type Counters struct {
	Total   int `json:"total"`
	Bot     int `json:"bot"`
	Waiting int `json:"waiting"`
	Human   int `json:"human"`
}

// AgentLoad is one agent on the monitor.
type AgentLoad struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Role        desk.Role       `json:"role"`
	Status      desk.UserStatus `json:"status"`
	PauseReason string          `json:"pause_reason"`
	StatusSince time.Time       `json:"status_since"`
	Open        int             `json:"open"`
	// OnCall: the agent is talking on an accepted call now.
	OnCall bool `json:"on_call"`
}

// TeamLoad is one team on the monitor.
type TeamLoad struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	BotID   string `json:"bot_id"`
	Waiting int    `json:"waiting"`
	Human   int    `json:"human"`
}

// Monitor is the supervisor's view of the floor.
type Monitor struct {
	Counters Counters    `json:"counters"`
	Agents   []AgentLoad `json:"agents"`
	Teams    []TeamLoad  `json:"teams"`
}

// Monitor counts open conversations of botIDs (nil: every bot) by phase,
// by agent and by team.
func (s *Store) Monitor(ctx context.Context, botIDs []string) (Monitor, error) {
	return s.MonitorFiltered(ctx, botIDs, desk.MonitorFilter{})
}

// MonitorFiltered is Monitor over the open conversations that match f
// (its bots are already folded into botIDs by desk.CheckMonitorFilter).
// The counters and the per-agent and per-team counts follow the filter;
// the agents and teams listed are still every one of botIDs, so a
// filtered floor shows who has nothing matching.
func (s *Store) MonitorFiltered(ctx context.Context, botIDs []string, f desk.MonitorFilter) (Monitor, error) {
	m := Monitor{Agents: []AgentLoad{}, Teams: []TeamLoad{}}
	w := &where{}
	if botIDs != nil {
		if len(botIDs) == 0 {
			return m, nil
		}
		w.add("c.bot_id IN (" + w.in(botIDs) + ")")
	}
	// The list's own filter: one definition of what a filter matches.
	s.filter(w, ConversationFilter{TeamIDs: f.TeamIDs, ChannelIDs: f.ChannelIDs, AssigneeIDs: f.AssigneeIDs, Contact: f.Contact, Protocol: f.Protocol})
	from := ` FROM conversations c`
	if f.Contact != "" {
		from += ` JOIN contacts ct ON ct.id = c.contact_id`
	}
	rows, err := s.r.QueryContext(ctx, `SELECT c.phase, COUNT(*)`+from+w.sql()+` GROUP BY c.phase`, w.args...)
	if err != nil {
		return m, fmt.Errorf("store: monitor: %w", err)
	}
	for rows.Next() {
		var phase string
		var n int
		if err := rows.Scan(&phase, &n); err != nil {
			rows.Close()
			return m, err
		}
		m.Counters.Total += n
		switch desk.Phase(phase) {
		case desk.PhaseBot:
			m.Counters.Bot = n
		case desk.PhaseWaiting:
			m.Counters.Waiting = n
		case desk.PhaseHuman:
			m.Counters.Human = n
		}
	}
	rows.Close()
	users, err := s.ListUsers(ctx, botIDs)
	if err != nil {
		return m, err
	}
	open, err := s.countBy(ctx, from, "c.assignee_id", "c.phase = 'human'", w)
	if err != nil {
		return m, err
	}
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	onCall, err := s.OnCall(ctx, ids)
	if err != nil {
		return m, err
	}
	for _, u := range users {
		m.Agents = append(m.Agents, AgentLoad{ID: u.ID, Name: u.Name, Role: u.Role, Status: u.Status, PauseReason: u.PauseReason,
			StatusSince: u.StatusSince, Open: open[u.ID], OnCall: onCall[u.ID]})
	}
	teams, err := s.ListTeams(ctx, botIDs)
	if err != nil {
		return m, err
	}
	waiting, err := s.countBy(ctx, from, "c.team_id", "c.phase = 'waiting'", w)
	if err != nil {
		return m, err
	}
	human, err := s.countBy(ctx, from, "c.team_id", "c.phase = 'human'", w)
	if err != nil {
		return m, err
	}
	for _, t := range teams {
		m.Teams = append(m.Teams, TeamLoad{ID: t.ID, Name: t.Name, BotID: t.BotID, Waiting: waiting[t.ID], Human: human[t.ID]})
	}
	return m, nil
}

func (s *Store) countBy(ctx context.Context, from, col, cond string, w *where) (map[string]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+col+`, COUNT(*)`+from+w.sql()+` AND `+cond+
		` AND `+col+` IS NOT NULL GROUP BY `+col, w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: monitor counts: %w", err)
	}
	return countRows(rows)
}

// countRows reads (id, count) rows into a map and closes them.
func countRows(rows *sql.Rows) (map[string]int, error) {
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// WaitingByBot counts the queue of every bot (the agent dashboard).
func (s *Store) WaitingByBot(ctx context.Context) (map[string]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT bot_id, COUNT(*) FROM conversations WHERE phase = 'waiting' GROUP BY bot_id`)
	if err != nil {
		return nil, fmt.Errorf("store: waiting by bot: %w", err)
	}
	return countRows(rows)
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
