package httpapi

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// maxReportRows bounds one CSV export. It streams a page at a time, so
// the bound is about how long one download may hold a reader, not memory.
const maxReportRows = 1_000_000

// reportRow is one conversation of the conversations report: the
// conversation as the list serves it, and what its timeline adds (who held
// it, transfer reasons, first response, resolve).
type reportRow struct {
	desk.Conversation
	store.ConversationDetails
}

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
		list, next, err := s.reportPage(r, a, f)
		s.respond(w, r, newPage(list, next), err)
	case "csv":
		s.conversationsCSV(w, r, a, f)
	default:
		writeError(w, r, s.log, desk.Invalid("format", "json or csv"))
	}
}

// reportPage reads one page of conversations and their details.
func (s *Server) reportPage(r *http.Request, a desk.Actor, f store.ConversationFilter) ([]reportRow, string, error) {
	list, next, err := s.store.ListConversations(r.Context(), a, f)
	if err != nil {
		return nil, "", err
	}
	ids := make([]string, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	details, err := s.store.ConversationDetails(r.Context(), ids)
	if err != nil {
		return nil, "", err
	}
	rows := make([]reportRow, len(list))
	for i, c := range list {
		rows[i] = reportRow{Conversation: c, ConversationDetails: *details[c.ID]}
	}
	return rows, next, nil
}

// csvColumns are the CSV's header; csvRecord writes a row in that order.
var csvColumns = []string{"id", "protocol", "bot_id", "channel_type", "contact_name", "contact_phone", "phase",
	"assignee_id", "team_id", "tags", "created_at", "waiting_since", "last_message_at", "closed_at", "closed_reason",
	"agents", "transfer_reasons", "first_response_at", "resolved_at", "out_of_hours"}

func csvRecord(c reportRow) []string {
	agents := make([]string, len(c.Agents))
	for i, a := range c.Agents {
		agents[i] = a.Name
	}
	return []string{c.ID, str(c.Protocol), c.BotID, string(c.ChannelType), csvSafe(c.Contact.Name), csvSafe(c.Contact.Phone),
		string(c.Phase), str(c.AssigneeID), str(c.TeamID), join(c.Tags), c.CreatedAt.Format(time.RFC3339),
		tstr(c.WaitingSince), c.LastMessageAt.Format(time.RFC3339), tstr(c.ClosedAt), str(c.ClosedReason),
		csvSafe(join(agents)), csvSafe(join(c.TransferReasons)), tstr(c.FirstResponseAt), tstr(c.ResolvedAt),
		strconv.FormatBool(c.OutOfHours)}
}

// conversationsCSV streams every matching conversation, a page at a time:
// memory stays flat however many rows there are.
func (s *Server) conversationsCSV(w http.ResponseWriter, r *http.Request, a desk.Actor, f store.ConversationFilter) {
	f.Limit, f.Cursor = 200, ""
	page, next, err := s.reportPage(r, a, f)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="conversations.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write(csvColumns)
	for rows := 0; ; {
		for _, c := range page {
			_ = cw.Write(csvRecord(c))
		}
		rows += len(page)
		if next == "" || rows >= maxReportRows {
			break
		}
		f.Cursor = next
		if page, next, err = s.reportPage(r, a, f); err != nil {
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

// reportPeriod reads the period and bot scope every report shares: from
// and to (default: the last 7 days up to now), and an optional bot the
// caller must be able to see.
func (s *Server) reportPeriod(r *http.Request) (from, to time.Time, scope []string, err error) {
	f, err := parseTimeParam(r, "from")
	if err != nil {
		return from, to, nil, err
	}
	t, err := parseTimeParam(r, "to")
	if err != nil {
		return from, to, nil, err
	}
	to = s.store.Now()
	if t != nil {
		to = *t
	}
	from = to.Add(-7 * 24 * time.Hour)
	if f != nil {
		from = *f
	}
	if !from.Before(to) {
		return from, to, nil, desk.Invalid("from", "must be before to")
	}
	scope = desk.BotScope(actorOf(r))
	if b := r.URL.Query().Get("bot"); b != "" {
		if !actorOf(r).CanSeeBot(b) {
			return from, to, nil, desk.NotFound("bot")
		}
		scope = []string{b}
	}
	return from, to, scope, nil
}

// reportAgents gives per-agent figures over a period.
func (s *Server) reportAgents(w http.ResponseWriter, r *http.Request) {
	start, end, scope, err := s.reportPeriod(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	items, err := s.store.AgentReport(r.Context(), scope, start, end)
	s.respond(w, r, agentReportResponse{From: start, To: end, Items: items}, err)
}

// csatReportResponse is GET /api/v1/reports/csat.
type csatReportResponse struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	store.CSATReport
}

// reportCSAT gives customer satisfaction over a period.
func (s *Server) reportCSAT(w http.ResponseWriter, r *http.Request) {
	start, end, scope, err := s.reportPeriod(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	rep, err := s.store.CSATReport(r.Context(), scope, start, end)
	s.respond(w, r, csatReportResponse{From: start, To: end, CSATReport: rep}, err)
}

// callsReportResponse is GET /api/v1/reports/calls.
type callsReportResponse struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	store.CallReport
}

// reportCalls gives the calls started in a period, per agent and team.
func (s *Server) reportCalls(w http.ResponseWriter, r *http.Request) {
	start, end, scope, err := s.reportPeriod(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	rep, err := s.store.CallsReport(r.Context(), scope, start, end)
	s.respond(w, r, callsReportResponse{From: start, To: end, CallReport: rep}, err)
}
