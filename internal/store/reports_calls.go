package store

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// CallGroup is one agent's or team's calls over a period: made (the agent
// called), received (the customer called), answered, missed, declined,
// and the talk time of the calls answered and ended (each call's whole
// seconds, as its call_ended event says). AverageTalkSeconds is nil
// without an answered call that ended.
type CallGroup struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	Made               int      `json:"made"`
	Received           int      `json:"received"`
	Answered           int      `json:"answered"`
	Missed             int      `json:"missed"`
	Declined           int      `json:"declined"`
	TalkSeconds        int64    `json:"talk_seconds"`
	AverageTalkSeconds *float64 `json:"average_talk_seconds"`
	// talked is how many calls the talk time sums.
	talked int64
}

// CallReport is the calls started in a period: in total, per agent (the
// agent holding the conversation when the call started) and per team (the
// conversation's team, if any).
type CallReport struct {
	Total  CallGroup   `json:"total"`
	Agents []CallGroup `json:"agents"`
	Teams  []CallGroup `json:"teams"`
}

// callSums are the figures of one group, summed by the database. The talk
// time counts a call's whole seconds like desk.Call.Duration; an ended
// call without answered_at is one that never rang through (0 s).
const callSums = `CAST(SUM(CASE WHEN k.started_by = 'agent' THEN 1 ELSE 0 END) AS BIGINT),
	CAST(SUM(CASE WHEN k.started_by = 'customer' THEN 1 ELSE 0 END) AS BIGINT),
	CAST(SUM(CASE WHEN k.answered_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT),
	CAST(SUM(CASE WHEN k.state = 'missed' THEN 1 ELSE 0 END) AS BIGINT),
	CAST(SUM(CASE WHEN k.state = 'declined' THEN 1 ELSE 0 END) AS BIGINT),
	CAST(SUM(CASE WHEN k.answered_at IS NOT NULL AND k.ended_at IS NOT NULL THEN (k.ended_at - k.answered_at) / 1000 ELSE 0 END) AS BIGINT),
	CAST(SUM(CASE WHEN k.answered_at IS NOT NULL AND k.ended_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT)`

// CallsReport sums the calls started between from and to, for
// conversations of botIDs (nil: all), per agent and per team, in SQL.
func (s *Store) CallsReport(ctx context.Context, botIDs []string, from, to time.Time) (CallReport, error) {
	out := CallReport{Agents: []CallGroup{}, Teams: []CallGroup{}}
	if botIDs != nil && len(botIDs) == 0 {
		return out, nil
	}
	w := &where{}
	w.add("k.created_at >= " + w.arg(ms(from)))
	w.add("k.created_at < " + w.arg(ms(to)))
	if botIDs != nil {
		w.add("k.bot_id IN (" + w.in(botIDs) + ")")
	}
	var err error
	out.Agents, err = s.callGroups(ctx, `SELECT k.agent_id, COALESCE(u.name, ''), `+callSums+`
		FROM calls k LEFT JOIN users u ON u.id = k.agent_id`+w.sql()+` GROUP BY k.agent_id, u.name`, w.args)
	if err != nil {
		return out, err
	}
	w.add("c.team_id IS NOT NULL")
	out.Teams, err = s.callGroups(ctx, `SELECT c.team_id, COALESCE(tm.name, ''), `+callSums+`
		FROM calls k JOIN conversations c ON c.id = k.conversation_id LEFT JOIN teams tm ON tm.id = c.team_id`+
		w.sql()+` GROUP BY c.team_id, tm.name`, w.args)
	if err != nil {
		return out, err
	}
	// Every call has an agent: the total is the agents' sum.
	t := &out.Total
	for _, g := range out.Agents {
		t.Made, t.Received, t.Answered = t.Made+g.Made, t.Received+g.Received, t.Answered+g.Answered
		t.Missed, t.Declined = t.Missed+g.Missed, t.Declined+g.Declined
		t.TalkSeconds, t.talked = t.TalkSeconds+g.TalkSeconds, t.talked+g.talked
	}
	t.AverageTalkSeconds = average(t.TalkSeconds, t.talked)
	return out, nil
}

// callGroups reads one grouping of callSums, by name.
func (s *Store) callGroups(ctx context.Context, q string, args []any) ([]CallGroup, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: calls report: %w", err)
	}
	defer rows.Close()
	out := []CallGroup{}
	for rows.Next() {
		var g CallGroup
		var made, received, answered, missed, declined, talk, talked int64
		if err := rows.Scan(&g.ID, &g.Name, &made, &received, &answered, &missed, &declined, &talk, &talked); err != nil {
			return nil, fmt.Errorf("store: calls report: %w", err)
		}
		g.Made, g.Received, g.Answered, g.Missed, g.Declined = int(made), int(received), int(answered), int(missed), int(declined)
		g.TalkSeconds, g.talked, g.AverageTalkSeconds = talk, talked, average(talk, talked)
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: calls report: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// average is sum/n, nil when n is 0.
func average(sum, n int64) *float64 {
	if n == 0 {
		return nil
	}
	a := float64(sum) / float64(n)
	return &a
}
