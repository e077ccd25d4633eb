package store

import (
	"context"
	"fmt"
	"time"
)

// ConversationDetails is what the conversations report adds to a
// conversation row: who held it, why it moved, and when a person first
// answered and last resolved it. It is read from the timeline's event
// messages, for one page of rows at a time, so a long export stays at two
// queries a page however many rows it writes.
type ConversationDetails struct {
	// Agents are everyone who held the conversation, in the order they got it.
	Agents []AgentRef `json:"agents"`
	// TransferReasons are the reasons of its transfers, in order.
	TransferReasons []string `json:"transfer_reasons"`
	// FirstResponseAt is the first message a person sent the customer.
	FirstResponseAt *time.Time `json:"first_response_at"`
	// ResolvedAt is its last resolve by a person (closed_at also counts
	// automatic closes and blocks).
	ResolvedAt *time.Time `json:"resolved_at"`
}

// AgentRef names a user on a report row.
type AgentRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ConversationDetails reads the details of the conversations ids.
func (s *Store) ConversationDetails(ctx context.Context, ids []string) (map[string]*ConversationDetails, error) {
	out := make(map[string]*ConversationDetails, len(ids))
	for _, id := range ids {
		out[id] = &ConversationDetails{Agents: []AgentRef{}, TransferReasons: []string{}}
	}
	if len(ids) == 0 {
		return out, nil
	}
	w := &where{}
	w.add("m.conversation_id IN (" + w.in(ids) + ")")
	// COALESCE keeps the planner off the event-type index, which would walk
	// every event of the database for each page: the page's conversations
	// are few, and (conversation_id, seq) finds their messages directly.
	w.add("COALESCE(m.event_type, '') IN ('assigned', 'transferred', 'resolved')")
	rows, err := s.r.QueryContext(ctx, `SELECT m.conversation_id, m.event_type, COALESCE(m.event_to, ''), COALESCE(u.name, ''),
		COALESCE(rs.name, ''), m.created_at
		FROM messages m LEFT JOIN users u ON u.id = m.event_to LEFT JOIN reasons rs ON rs.id = m.reason_id`+
		w.sql()+` ORDER BY m.conversation_id, m.seq`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: report details: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var conv, typ, to, name, reason string
		var at int64
		if err := rows.Scan(&conv, &typ, &to, &name, &reason, &at); err != nil {
			return nil, err
		}
		d := out[conv]
		switch typ {
		case "assigned", "transferred":
			if to != "" && !hasAgent(d.Agents, to) {
				d.Agents = append(d.Agents, AgentRef{ID: to, Name: name})
			}
			if typ == "transferred" && reason != "" {
				d.TransferReasons = append(d.TransferReasons, reason)
			}
		case "resolved":
			t := fromMS(at)
			d.ResolvedAt = &t
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.firstResponses(ctx, ids, out)
}

// firstResponses sets FirstResponseAt: a person's first message that is
// neither an event nor an internal note.
func (s *Store) firstResponses(ctx context.Context, ids []string, out map[string]*ConversationDetails) error {
	w := &where{}
	w.add("conversation_id IN (" + w.in(ids) + ")")
	w.add("author_type = 'agent'")
	w.add("kind NOT IN ('event', 'note')")
	rows, err := s.r.QueryContext(ctx, `SELECT conversation_id, MIN(created_at) FROM messages`+w.sql()+` GROUP BY conversation_id`, w.args...)
	if err != nil {
		return fmt.Errorf("store: report first responses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var conv string
		var at int64
		if err := rows.Scan(&conv, &at); err != nil {
			return err
		}
		t := fromMS(at)
		out[conv].FirstResponseAt = &t
	}
	return rows.Err()
}

func hasAgent(list []AgentRef, id string) bool {
	for _, a := range list {
		if a.ID == id {
			return true
		}
	}
	return false
}
