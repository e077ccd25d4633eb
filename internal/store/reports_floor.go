package store

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"
)

// Reports of the supervisor's floor: the queues (how long customers waited
// for a person) and the bots (how many conversations they kept).
//
// Percentiles are computed here in Go over the durations fetched for the
// period, not in SQL: SQLite has no percentile function, and one formula
// for both databases means both give the same figures. The fetch is
// bounded by the period's events, so its size follows the traffic of the
// range asked for.

// QueueHour is one team's queue over one hour.
type QueueHour struct {
	// TeamID is "" for conversations queued without a team.
	TeamID   string `json:"team_id"`
	TeamName string `json:"team_name"`
	// Hour is the start of the hour (in the report's time zone) the waits began in.
	Hour time.Time `json:"hour"`
	// Queued counts the waits that began in the hour.
	Queued int `json:"queued"`
	// Assigned counts those an agent took before the period ended.
	Assigned int `json:"assigned"`
	// Abandoned counts those closed while still waiting (resolved, closed
	// automatically or blocked before anyone took them).
	Abandoned         int      `json:"abandoned"`
	MedianWaitSeconds *float64 `json:"median_wait_seconds"`
	P90WaitSeconds    *float64 `json:"p90_wait_seconds"`
	waits             []float64
}

// QueueReport gives, per team and hour, the waits that began between from
// and to for conversations of botIDs (nil: all), optionally of one team
// (teamID ""; the team a wait began in counts). Hours are cut in loc.
// With businessTime a wait counts only the time its bot's desk was open
// (desk.BusinessHours.BusinessDuration).
func (s *Store) QueueReport(ctx context.Context, botIDs []string, teamID string, from, to time.Time, loc *time.Location,
	businessTime bool) ([]QueueHour, error) {
	if botIDs != nil && len(botIDs) == 0 {
		return []QueueHour{}, nil
	}
	teams, err := s.ListTeams(ctx, nil)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, t := range teams {
		names[t.ID] = t.Name
	}
	evs, err := s.timelineEvents(ctx, botIDs, from, to, "'handover', 'unassigned', 'transferred', 'assigned', 'resolved', 'auto_closed', 'blocked'")
	if err != nil {
		return nil, err
	}
	waitOf, err := s.waitMeasure(ctx, botIDs, businessTime)
	if err != nil {
		return nil, err
	}
	type key struct {
		team string
		hour int64
	}
	rows := map[key]*QueueHour{}
	// waiting[conv] is the open wait of a conversation, if any.
	waiting := map[string]*QueueHour{}
	began := map[string]int64{}
	for _, e := range evs {
		switch e.typ {
		case "handover", "unassigned", "transferred":
			_, toTeam := names[e.to]
			if e.typ == "transferred" && !toTeam {
				// Straight to an agent: any wait ends there, none begins.
				if q := waiting[e.conv]; q != nil {
					q.Assigned++
					q.waits = append(q.waits, waitOf(e, began[e.conv]))
					delete(waiting, e.conv)
				}
				continue
			}
			if teamID != "" && e.to != teamID {
				delete(waiting, e.conv)
				continue
			}
			at := time.UnixMilli(e.at).In(loc)
			hour := time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), 0, 0, 0, loc)
			k := key{e.to, hour.UnixMilli()}
			q := rows[k]
			if q == nil {
				q = &QueueHour{TeamID: e.to, TeamName: names[e.to], Hour: hour}
				rows[k] = q
			}
			q.Queued++
			waiting[e.conv], began[e.conv] = q, e.at
		case "assigned":
			if q := waiting[e.conv]; q != nil {
				q.Assigned++
				q.waits = append(q.waits, waitOf(e, began[e.conv]))
				delete(waiting, e.conv)
			}
		default: // closed
			if q := waiting[e.conv]; q != nil {
				q.Abandoned++
				delete(waiting, e.conv)
			}
		}
	}
	out := make([]QueueHour, 0, len(rows))
	for _, q := range rows {
		q.MedianWaitSeconds = median(q.waits)
		q.P90WaitSeconds = percentile(q.waits, 90)
		out = append(out, *q)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].TeamName != out[j].TeamName {
			return out[i].TeamName < out[j].TeamName
		}
		if out[i].TeamID != out[j].TeamID {
			return out[i].TeamID < out[j].TeamID
		}
		return out[i].Hour.Before(out[j].Hour)
	})
	return out, nil
}

// timelineEvents reads the event messages of the given types between from
// and to, per conversation in timeline order.
func (s *Store) timelineEvents(ctx context.Context, botIDs []string, from, to time.Time, types string) ([]agentEvent, error) {
	w := &where{}
	w.add("m.event_type IN (" + types + ")")
	w.add("m.created_at >= " + w.arg(ms(from)))
	w.add("m.created_at < " + w.arg(ms(to)))
	if botIDs != nil {
		w.add("c.bot_id IN (" + w.in(botIDs) + ")")
	}
	rows, err := s.r.QueryContext(ctx, `SELECT m.conversation_id, c.bot_id, m.event_type, COALESCE(m.author_id, ''), COALESCE(m.event_to, ''),
		COALESCE(m.reason_id, ''), COALESCE(rs.name, ''), m.seq, m.created_at
		FROM messages m JOIN conversations c ON c.id = m.conversation_id LEFT JOIN reasons rs ON rs.id = m.reason_id`+
		w.sql()+` ORDER BY m.conversation_id, m.seq`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: report events: %w", err)
	}
	defer rows.Close()
	var evs []agentEvent
	for rows.Next() {
		var e agentEvent
		if err := rows.Scan(&e.conv, &e.bot, &e.typ, &e.actor, &e.to, &e.reason, &e.reasonName, &e.seq, &e.at); err != nil {
			return nil, err
		}
		evs = append(evs, e)
	}
	return evs, rows.Err()
}

// BotStats are one bot's figures over a period.
type BotStats struct {
	BotID string `json:"bot_id"`
	Name  string `json:"name"`
	// Conversations counts those created in the period.
	Conversations int `json:"conversations"`
	// HandedOver counts those of them a person got: handed over to the
	// queue or taken over by someone.
	HandedOver   int      `json:"handed_over"`
	HandoverRate *float64 `json:"handover_rate"`
	// Contained counts those closed without a person ever getting them.
	Contained       int      `json:"contained"`
	ContainmentRate *float64 `json:"containment_rate"`
	// TopHandoverSteps are the flow nodes the built-in flow handed most of
	// them over at, most first (at most five). Handovers without a node
	// (an external bot's, a keyword's, a bot without a flow) are left out.
	TopHandoverSteps []HandoverStep `json:"top_handover_steps"`
}

// HandoverStep is how many conversations a flow handed over at one node.
type HandoverStep struct {
	NodeID string `json:"node_id"`
	Count  int    `json:"count"`
}

// topHandoverSteps is how many steps per bot the report lists.
const topHandoverSteps = 5

// BotReport gives per-bot figures for the conversations created between
// from and to, for botIDs (nil: all bots).
func (s *Store) BotReport(ctx context.Context, botIDs []string, from, to time.Time) ([]BotStats, error) {
	bots, err := s.ListBots(ctx, botIDs)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.add("c.created_at >= " + w.arg(ms(from)))
	w.add("c.created_at < " + w.arg(ms(to)))
	if botIDs != nil {
		if len(botIDs) == 0 {
			return []BotStats{}, nil
		}
		w.add("c.bot_id IN (" + w.in(botIDs) + ")")
	}
	// A person got it when the timeline has a handover or an assignment
	// (a takeover in the bot phase is an assignment without a handover).
	rows, err := s.r.QueryContext(ctx, `SELECT c.bot_id, COUNT(*),
		COALESCE(SUM(CASE WHEN h.conversation_id IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN h.conversation_id IS NULL AND c.phase = 'closed' THEN 1 ELSE 0 END), 0)
		FROM conversations c LEFT JOIN (SELECT DISTINCT conversation_id FROM messages
			WHERE event_type IN ('handover', 'assigned')) h ON h.conversation_id = c.id`+
		w.sql()+` GROUP BY c.bot_id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: bot report: %w", err)
	}
	defer rows.Close()
	got := map[string]BotStats{}
	for rows.Next() {
		var b BotStats
		if err := rows.Scan(&b.BotID, &b.Conversations, &b.HandedOver, &b.Contained); err != nil {
			return nil, err
		}
		got[b.BotID] = b
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	steps, err := s.handoverSteps(ctx, w)
	if err != nil {
		return nil, err
	}
	out := make([]BotStats, 0, len(bots))
	for _, bot := range bots {
		b := got[bot.ID]
		b.BotID, b.Name = bot.ID, bot.Name
		b.TopHandoverSteps = steps[bot.ID]
		if b.TopHandoverSteps == nil {
			b.TopHandoverSteps = []HandoverStep{}
		}
		b.HandoverRate = rate(b.HandedOver, b.Conversations)
		b.ContainmentRate = rate(b.Contained, b.Conversations)
		out = append(out, b)
	}
	return out, nil
}

// handoverSteps counts, per bot, the handovers at each flow node of the
// conversations w selects, most first (ties by node id, so both databases
// agree), at most topHandoverSteps per bot.
func (s *Store) handoverSteps(ctx context.Context, w *where) (map[string][]HandoverStep, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT c.bot_id, m.event_node, COUNT(*) AS n
		FROM messages m JOIN conversations c ON c.id = m.conversation_id`+
		w.sql()+` AND m.event_type = 'handover' AND m.event_node IS NOT NULL
		GROUP BY c.bot_id, m.event_node ORDER BY c.bot_id, n DESC, m.event_node`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: bot report steps: %w", err)
	}
	defer rows.Close()
	out := map[string][]HandoverStep{}
	for rows.Next() {
		var bot string
		var st HandoverStep
		if err := rows.Scan(&bot, &st.NodeID, &st.Count); err != nil {
			return nil, err
		}
		if len(out[bot]) < topHandoverSteps {
			out[bot] = append(out[bot], st)
		}
	}
	return out, rows.Err()
}

func rate(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	r := float64(n) / float64(of)
	return &r
}

// percentile is the nearest-rank p-th percentile of v (sorted in place):
// the smallest sample at or above p% of them, always an observed value.
func percentile(v []float64, p float64) *float64 {
	if len(v) == 0 {
		return nil
	}
	sort.Float64s(v)
	i := int(math.Ceil(p/100*float64(len(v)))) - 1
	if i < 0 {
		i = 0
	}
	r := v[i]
	return &r
}
