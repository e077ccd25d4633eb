package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

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
	Open        int             `json:"open"`
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
	m := Monitor{Agents: []AgentLoad{}, Teams: []TeamLoad{}}
	w := &where{}
	w.add("c.phase <> 'closed'")
	if botIDs != nil {
		if len(botIDs) == 0 {
			return m, nil
		}
		w.add("c.bot_id IN (" + w.in(botIDs) + ")")
	}
	rows, err := s.r.QueryContext(ctx, `SELECT c.phase, COUNT(*) FROM conversations c`+w.sql()+` GROUP BY c.phase`, w.args...)
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
	open, err := s.countBy(ctx, "c.assignee_id", "c.phase = 'human'", w)
	if err != nil {
		return m, err
	}
	for _, u := range users {
		m.Agents = append(m.Agents, AgentLoad{ID: u.ID, Name: u.Name, Role: u.Role, Status: u.Status, PauseReason: u.PauseReason, Open: open[u.ID]})
	}
	teams, err := s.ListTeams(ctx, botIDs)
	if err != nil {
		return m, err
	}
	waiting, err := s.countBy(ctx, "c.team_id", "c.phase = 'waiting'", w)
	if err != nil {
		return m, err
	}
	human, err := s.countBy(ctx, "c.team_id", "c.phase = 'human'", w)
	if err != nil {
		return m, err
	}
	for _, t := range teams {
		m.Teams = append(m.Teams, TeamLoad{ID: t.ID, Name: t.Name, BotID: t.BotID, Waiting: waiting[t.ID], Human: human[t.ID]})
	}
	return m, nil
}

func (s *Store) countBy(ctx context.Context, col, cond string, w *where) (map[string]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+col+`, COUNT(*) FROM conversations c`+w.sql()+` AND `+cond+
		` AND `+col+` IS NOT NULL GROUP BY `+col, w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: monitor counts: %w", err)
	}
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

// SetStatus changes a user's presence. A pause carries a reason.
func (s *Store) SetStatus(ctx context.Context, userID string, status desk.UserStatus, reason string) (desk.User, error) {
	if !status.Valid() {
		return desk.User{}, desk.Invalid("status", "one of online, paused, offline")
	}
	if err := validPauseReason(status, &reason); err != nil {
		return desk.User{}, err
	}
	err := s.tx(ctx, func(t *txn) error {
		return t.setStatus(userID, status, reason, "")
	})
	if err != nil {
		return desk.User{}, err
	}
	return s.GetUser(ctx, userID)
}

func validPauseReason(status desk.UserStatus, reason *string) error {
	*reason = strings.TrimSpace(*reason)
	if status != desk.StatusPaused {
		*reason = ""
	}
	if utf8.RuneCountInString(*reason) > 200 {
		return desk.Invalid("pause_reason", "at most 200 characters")
	}
	return nil
}

// setStatus updates the status; extra is an SQL condition that must hold.
func (t *txn) setStatus(userID string, status desk.UserStatus, reason, extra string) error {
	res, err := t.exec(`UPDATE users SET status = $2, pause_reason = $3 WHERE id = $1 AND deleted_at IS NULL`+extra,
		userID, string(status), reason)
	if err != nil {
		return fmt.Errorf("store: set status: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if extra != "" {
			var exists int
			if err := t.queryRow(`SELECT COUNT(*) FROM users WHERE id = $1 AND deleted_at IS NULL`, userID).Scan(&exists); err == nil && exists > 0 {
				return desk.Errorf(desk.CodeAgentHasOpenSessions, "the agent still has open conversations; they can be paused once those are finished or transferred")
			}
		}
		return desk.NotFound("user")
	}
	t.changes = append(t.changes, desk.Change{Type: desk.ChangeAgentStatus, UserID: userID})
	return nil
}

// PauseAgent forces an agent into pause, only when it has no open
// conversations: the check and the update are one statement, so an
// assignment cannot slip in between.
func (s *Store) PauseAgent(ctx context.Context, userID, reason string) (desk.User, error) {
	if err := validPauseReason(desk.StatusPaused, &reason); err != nil {
		return desk.User{}, err
	}
	err := s.tx(ctx, func(t *txn) error {
		return t.setStatus(userID, desk.StatusPaused, reason,
			` AND NOT EXISTS (SELECT 1 FROM conversations WHERE assignee_id = $1 AND phase = 'human')`)
	})
	if err != nil {
		return desk.User{}, err
	}
	return s.GetUser(ctx, userID)
}

// LogoutAgent ends all of a user's sessions and sets it offline; its
// sockets are closed by whoever listens for the change.
func (s *Store) LogoutAgent(ctx context.Context, userID string) (desk.User, error) {
	err := s.tx(ctx, func(t *txn) error {
		if err := t.setStatus(userID, desk.StatusOffline, "", ""); err != nil {
			return err
		}
		if _, err := t.exec(`DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return err
		}
		t.changes = append(t.changes, desk.Change{Type: desk.ChangeUserLoggedOut, UserID: userID})
		return nil
	})
	if err != nil {
		return desk.User{}, err
	}
	return s.GetUser(ctx, userID)
}

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

// WaitingByBot counts the queue of every bot (the agent dashboard).
func (s *Store) WaitingByBot(ctx context.Context) (map[string]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT bot_id, COUNT(*) FROM conversations WHERE phase = 'waiting' GROUP BY bot_id`)
	if err != nil {
		return nil, fmt.Errorf("store: waiting by bot: %w", err)
	}
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
