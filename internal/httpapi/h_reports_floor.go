package httpapi

import (
	"net/http"
	"time"
	// The queues report cuts hours in any IANA zone a supervisor names;
	// embedding the database keeps that working on hosts without one.
	_ "time/tzdata"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

type queueReportResponse struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// TZ is the IANA zone the hours are cut in (UTC unless tz= was given).
	TZ string `json:"tz"`
	// BusinessTime says waits count only the bots' business hours.
	BusinessTime bool              `json:"business_time"`
	Items        []store.QueueHour `json:"items"`
}

// reportQueues gives per team and hour how long conversations waited for
// a person and how many were closed before anyone took them.
func (s *Server) reportQueues(w http.ResponseWriter, r *http.Request) {
	start, end, scope, err := s.reportPeriod(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	loc := time.UTC
	if tz := r.URL.Query().Get("tz"); tz != "" {
		// LoadLocation also accepts "" and "Local" (the server's zone),
		// which is never what a caller in another place means.
		l, err := time.LoadLocation(tz)
		if err != nil || tz == "Local" {
			writeError(w, r, s.log, desk.Invalid("tz", "an IANA time zone name, such as America/Sao_Paulo"))
			return
		}
		loc = l
	}
	team := r.URL.Query().Get("team")
	if team != "" {
		t, err := s.store.GetTeam(r.Context(), team)
		if err != nil || !actorOf(r).CanSeeBot(t.BotID) || (len(scope) == 1 && scope[0] != t.BotID) {
			writeError(w, r, s.log, desk.NotFound("team"))
			return
		}
	}
	business := false
	switch r.URL.Query().Get("business_time") {
	case "", "false":
	case "true":
		business = true
	default:
		writeError(w, r, s.log, desk.Invalid("business_time", "true or false"))
		return
	}
	items, err := s.store.QueueReport(r.Context(), scope, team, start, end, loc, business)
	s.respond(w, r, queueReportResponse{From: start, To: end, TZ: loc.String(), BusinessTime: business, Items: items}, err)
}

type botReportResponse struct {
	From  time.Time        `json:"from"`
	To    time.Time        `json:"to"`
	Items []store.BotStats `json:"items"`
}

// reportBots gives per bot the conversations it started in the period and
// how many reached a person or closed without one.
func (s *Server) reportBots(w http.ResponseWriter, r *http.Request) {
	start, end, scope, err := s.reportPeriod(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	items, err := s.store.BotReport(r.Context(), scope, start, end)
	s.respond(w, r, botReportResponse{From: start, To: end, Items: items}, err)
}
