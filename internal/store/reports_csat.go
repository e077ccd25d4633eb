package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// CSATGroup is one agent's or team's satisfaction figures: surveys asked,
// answered, the average score and the response rate (answers / asked).
// Average and ResponseRate are nil without a sample.
type CSATGroup struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Asked        int      `json:"asked"`
	Answers      int      `json:"answers"`
	Average      *float64 `json:"average"`
	ResponseRate *float64 `json:"response_rate"`
}

// CSATComment is one answer that came with a comment.
type CSATComment struct {
	ConversationID string    `json:"conversation_id"`
	Protocol       string    `json:"protocol"`
	Score          int       `json:"score"`
	Comment        string    `json:"comment"`
	AgentName      string    `json:"agent_name"`
	AnsweredAt     time.Time `json:"answered_at"`
}

// CSATReport is the satisfaction of a period: in total, per agent (who
// resolved: the conversation's last assignee) and per team, and the
// comments, newest first.
type CSATReport struct {
	Total    CSATGroup     `json:"total"`
	Agents   []CSATGroup   `json:"agents"`
	Teams    []CSATGroup   `json:"teams"`
	Comments []CSATComment `json:"comments"`
}

// maxCSATComments bounds the comments of one report.
const maxCSATComments = 500

// csatAcc sums one group's scores.
type csatAcc struct {
	g   CSATGroup
	sum int
}

func (a *csatAcc) add(score sql.NullInt64) {
	a.g.Asked++
	if score.Valid {
		a.g.Answers++
		a.sum += int(score.Int64)
	}
}

func (a *csatAcc) done() CSATGroup {
	if a.g.Answers > 0 {
		avg := float64(a.sum) / float64(a.g.Answers)
		a.g.Average = &avg
	}
	if a.g.Asked > 0 {
		rate := float64(a.g.Answers) / float64(a.g.Asked)
		a.g.ResponseRate = &rate
	}
	return a.g
}

// CSATReport computes the satisfaction of the surveys asked between from
// and to (so the response rate counts each survey once, answered or not),
// for conversations of botIDs (nil: all).
func (s *Store) CSATReport(ctx context.Context, botIDs []string, from, to time.Time) (CSATReport, error) {
	out := CSATReport{Agents: []CSATGroup{}, Teams: []CSATGroup{}, Comments: []CSATComment{}}
	if botIDs != nil && len(botIDs) == 0 {
		out.Total = (&csatAcc{}).done()
		return out, nil
	}
	w := &where{}
	w.add("c.csat_asked_at >= " + w.arg(ms(from)))
	w.add("c.csat_asked_at < " + w.arg(ms(to)))
	if botIDs != nil {
		w.add("c.bot_id IN (" + w.in(botIDs) + ")")
	}
	rows, err := s.r.QueryContext(ctx, `SELECT c.id, COALESCE(c.protocol, ''), COALESCE(c.assignee_id, ''), COALESCE(u.name, ''),
		COALESCE(c.team_id, ''), COALESCE(tm.name, ''), c.csat_score, c.csat_comment, COALESCE(c.csat_at, 0)
		FROM conversations c LEFT JOIN users u ON u.id = c.assignee_id LEFT JOIN teams tm ON tm.id = c.team_id`+
		w.sql()+` ORDER BY c.csat_at DESC, c.id`, w.args...)
	if err != nil {
		return out, fmt.Errorf("store: csat report: %w", err)
	}
	defer rows.Close()
	total := &csatAcc{}
	agents, teams := map[string]*csatAcc{}, map[string]*csatAcc{}
	group := func(m map[string]*csatAcc, id, name string) *csatAcc {
		a := m[id]
		if a == nil {
			a = &csatAcc{g: CSATGroup{ID: id, Name: name}}
			m[id] = a
		}
		return a
	}
	for rows.Next() {
		var id, protocol, agentID, agent, teamID, team, comment string
		var score sql.NullInt64
		var at int64
		if err := rows.Scan(&id, &protocol, &agentID, &agent, &teamID, &team, &score, &comment, &at); err != nil {
			return out, err
		}
		total.add(score)
		if agentID != "" {
			group(agents, agentID, agent).add(score)
		}
		if teamID != "" {
			group(teams, teamID, team).add(score)
		}
		if score.Valid && comment != "" && len(out.Comments) < maxCSATComments {
			out.Comments = append(out.Comments, CSATComment{ConversationID: id, Protocol: protocol, Score: int(score.Int64),
				Comment: comment, AgentName: agent, AnsweredAt: fromMS(at)})
		}
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	out.Total = total.done()
	out.Agents, out.Teams = sortedGroups(agents), sortedGroups(teams)
	return out, nil
}

// sortedGroups lists groups by name.
func sortedGroups(m map[string]*csatAcc) []CSATGroup {
	out := make([]CSATGroup, 0, len(m))
	for _, a := range m {
		out = append(out, a.done())
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out
}
