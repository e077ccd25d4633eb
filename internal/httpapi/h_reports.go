package httpapi

import (
	"encoding/csv"
	"net/http"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// maxReportRows bounds one CSV export.
const maxReportRows = 50000

// reportConversations lists conversations of every phase (closed history
// included) with the list filters, as JSON pages or one CSV file.
func (s *Server) reportConversations(w http.ResponseWriter, r *http.Request) {
	f, err := conversationFilter(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if len(f.Phases) == 0 {
		f.AllPhases = true
	}
	a := actorOf(r)
	switch r.URL.Query().Get("format") {
	case "", "json":
		list, next, err := s.store.ListConversations(r.Context(), a, f)
		s.respond(w, r, newPage(list, next), err)
	case "csv":
		s.conversationsCSV(w, r, a, f)
	default:
		writeError(w, r, s.log, desk.Invalid("format", "json or csv"))
	}
}

func (s *Server) conversationsCSV(w http.ResponseWriter, r *http.Request, a desk.Actor, f store.ConversationFilter) {
	f.Limit, f.Cursor = 200, ""
	first, next, err := s.store.ListConversations(r.Context(), a, f)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="conversations.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "protocol", "bot_id", "channel_type", "contact_name", "contact_phone", "phase",
		"assignee_id", "team_id", "tags", "created_at", "waiting_since", "last_message_at", "closed_at", "closed_reason"})
	rows := 0
	for page := first; ; {
		for _, c := range page {
			_ = cw.Write([]string{c.ID, str(c.Protocol), c.BotID, string(c.ChannelType), csvSafe(c.Contact.Name), csvSafe(c.Contact.Phone),
				string(c.Phase), str(c.AssigneeID), str(c.TeamID), join(c.Tags), c.CreatedAt.Format(time.RFC3339),
				tstr(c.WaitingSince), c.LastMessageAt.Format(time.RFC3339), tstr(c.ClosedAt), str(c.ClosedReason)})
		}
		rows += len(page)
		if next == "" || rows >= maxReportRows {
			break
		}
		f.Cursor = next
		if page, next, err = s.store.ListConversations(r.Context(), a, f); err != nil {
			s.log.Error("report: csv page", "err", err)
			break
		}
	}
	cw.Flush()
}

// csvSafe defuses spreadsheet formulas in customer-supplied text.
func csvSafe(v string) string {
	if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') {
		return "'" + v
	}
	return v
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func tstr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

func join(v []string) string {
	out := ""
	for i, s := range v {
		if i > 0 {
			out += ";"
		}
		out += s
	}
	return out
}

type agentReportResponse struct {
	From  time.Time          `json:"from"`
	To    time.Time          `json:"to"`
	Items []store.AgentStats `json:"items"`
}

// reportAgents gives per-agent figures over a period (default: the last 7 days).
func (s *Server) reportAgents(w http.ResponseWriter, r *http.Request) {
	from, err := parseTimeParam(r, "from")
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	to, err := parseTimeParam(r, "to")
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	end := s.store.Now()
	if to != nil {
		end = *to
	}
	start := end.Add(-7 * 24 * time.Hour)
	if from != nil {
		start = *from
	}
	if !start.Before(end) {
		writeError(w, r, s.log, desk.Invalid("from", "must be before to"))
		return
	}
	scope := desk.BotScope(actorOf(r))
	if b := r.URL.Query().Get("bot"); b != "" {
		if !actorOf(r).CanSeeBot(b) {
			writeError(w, r, s.log, desk.NotFound("bot"))
			return
		}
		scope = []string{b}
	}
	items, err := s.store.AgentReport(r.Context(), scope, start, end)
	s.respond(w, r, agentReportResponse{From: start, To: end, Items: items}, err)
}
