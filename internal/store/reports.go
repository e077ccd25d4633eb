package store

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// ReasonCount is how many transfers one reason accounts for.
type ReasonCount struct {
	ReasonID string `json:"reason_id"`
	Name     string `json:"name"`
	Count    int    `json:"count"`
}

// AgentStats are one agent's figures over a period.
type AgentStats struct {
	AgentID  string `json:"agent_id"`
	Name     string `json:"name"`
	Handled  int    `json:"handled"`
	Resolved int    `json:"resolved"`
	// TransfersOut are transfers the agent made, by reason.
	TransfersOut []ReasonCount `json:"transfers_out"`
	// MedianFirstResponseSeconds: from receiving a conversation to the
	// agent's first message in it. Nil when there is no sample.
	MedianFirstResponseSeconds *float64 `json:"median_first_response_seconds"`
	// MedianHandleSeconds: from receiving a conversation to resolving it.
	MedianHandleSeconds *float64 `json:"median_handle_seconds"`
	// P90FirstResponseSeconds and P90HandleSeconds: nearest-rank 90th
	// percentiles of the same samples (see reports_floor.go).
	P90FirstResponseSeconds *float64 `json:"p90_first_response_seconds"`
	P90HandleSeconds        *float64 `json:"p90_handle_seconds"`
}

// agentEvent is one timeline event relevant to the report.
type agentEvent struct {
	conv, bot, typ, actor, to, reason, reasonName string
	seq, at                                       int64
}

// AgentReport computes per-agent figures from the timeline's event
// messages between from and to, for conversations of botIDs (nil: all).
func (s *Store) AgentReport(ctx context.Context, botIDs []string, from, to time.Time) ([]AgentStats, error) {
	users, err := s.ListUsers(ctx, botIDs)
	if err != nil {
		return nil, err
	}
	if botIDs != nil && len(botIDs) == 0 {
		return []AgentStats{}, nil
	}
	evs, err := s.timelineEvents(ctx, botIDs, from, to, "'assigned', 'transferred', 'resolved'")
	if err != nil {
		return nil, err
	}
	acc := map[string]*agentAcc{}
	for _, u := range users {
		acc[u.ID] = &agentAcc{stats: AgentStats{AgentID: u.ID, Name: u.Name, TransfersOut: []ReasonCount{}}, reasons: map[string]*ReasonCount{}}
	}
	// received[conv] is when and at which seq the current owner got it.
	received := map[string]agentEvent{}
	for _, e := range evs {
		switch e.typ {
		case "assigned", "transferred":
			if a := acc[e.to]; a != nil {
				a.stats.Handled++
				received[e.conv] = e
				rt, err := s.firstResponse(ctx, e)
				if err != nil {
					return nil, err
				}
				if rt >= 0 {
					a.first = append(a.first, rt)
				}
			}
			if e.typ == "transferred" {
				if a := acc[e.actor]; a != nil {
					a.transfer(e.reason, e.reasonName)
				}
			}
		case "resolved":
			if a := acc[e.actor]; a != nil {
				a.stats.Resolved++
				if got, ok := received[e.conv]; ok && got.to == e.actor {
					a.handle = append(a.handle, float64(e.at-got.at)/1000)
				}
			}
		}
	}
	out := make([]AgentStats, 0, len(users))
	for _, u := range users {
		a := acc[u.ID]
		a.stats.MedianFirstResponseSeconds = median(a.first)
		a.stats.MedianHandleSeconds = median(a.handle)
		a.stats.P90FirstResponseSeconds = percentile(a.first, 90)
		a.stats.P90HandleSeconds = percentile(a.handle, 90)
		for _, id := range a.order {
			a.stats.TransfersOut = append(a.stats.TransfersOut, *a.reasons[id])
		}
		out = append(out, a.stats)
	}
	return out, nil
}

type agentAcc struct {
	stats         AgentStats
	reasons       map[string]*ReasonCount
	order         []string // reasons in first-seen order
	first, handle []float64
}

func (a *agentAcc) transfer(id, name string) {
	rc, ok := a.reasons[id]
	if !ok {
		rc = &ReasonCount{ReasonID: id, Name: name}
		a.reasons[id] = rc
		a.order = append(a.order, id)
	}
	rc.Count++
}

// firstResponse is the seconds from e to the receiving agent's first
// message after it, or -1 when it has not answered.
func (s *Store) firstResponse(ctx context.Context, e agentEvent) (float64, error) {
	var at *int64
	err := s.r.QueryRowContext(ctx, `SELECT MIN(created_at) FROM messages WHERE conversation_id = $1 AND seq > $2
		AND author_type = 'agent' AND author_id = $3 AND kind NOT IN ('event', 'note')`, e.conv, e.seq, e.to).Scan(&at)
	if err != nil {
		return -1, fmt.Errorf("store: first response: %w", err)
	}
	if at == nil {
		return -1, nil
	}
	return float64(*at-e.at) / 1000, nil
}

func median(v []float64) *float64 {
	if len(v) == 0 {
		return nil
	}
	sort.Float64s(v)
	m := v[len(v)/2]
	if len(v)%2 == 0 {
		m = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return &m
}
