package httpapi

import (
	"net/http"
	"strings"

	"github.com/relevo/relevo/internal/desk"
)

type pauseRequest struct {
	Reason string `json:"reason"`
}

// monitor counts the floor of the caller's bots, narrowed by the same
// filters as the conversation list (bot, team, channel, assignee, contact,
// protocol). The console reads it once and then keeps its numbers live
// from conversation frames with one predicate (state/monitorFilters.ts).
func (s *Server) monitor(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := desk.MonitorFilter{
		BotIDs: list(r, "bot"), TeamIDs: list(r, "team"), ChannelIDs: list(r, "channel"), AssigneeIDs: list(r, "assignee"),
		Contact: strings.TrimSpace(q.Get("contact")), Protocol: strings.TrimSpace(q.Get("protocol")),
	}
	scope, err := desk.CheckMonitorFilter(actorOf(r), f)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	m, err := s.store.MonitorFiltered(r.Context(), scope, f)
	s.respond(w, r, m, err)
}

// supervised reads an agent the supervisor shares a bot with.
func (s *Server) supervised(r *http.Request) (desk.User, error) {
	u, err := s.visibleUser(r, r.PathValue("id"))
	if err == nil && u.ID == actorOf(r).User.ID {
		err = desk.Errorf(desk.CodeConflict, "use your own status switch")
	}
	return u, err
}

func (s *Server) pauseAgent(w http.ResponseWriter, r *http.Request) {
	var in pauseRequest
	if err := decodeOptionalJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	u, err := s.supervised(r)
	if err == nil {
		u, err = s.store.PauseAgent(r.Context(), u.ID, in.Reason)
	}
	s.respond(w, r, u, err)
}

func (s *Server) unpauseAgent(w http.ResponseWriter, r *http.Request) {
	u, err := s.supervised(r)
	if err == nil {
		if u.Status != desk.StatusPaused {
			err = desk.Errorf(desk.CodeConflict, "%s is not paused", u.Name)
		} else {
			u, err = s.store.SetStatus(r.Context(), u.ID, desk.StatusOnline, "")
		}
	}
	s.respond(w, r, u, err)
}

func (s *Server) logoutAgent(w http.ResponseWriter, r *http.Request) {
	u, err := s.supervised(r)
	if err == nil {
		u, err = s.store.LogoutAgent(r.Context(), u.ID)
	}
	s.respond(w, r, u, err)
}

func (s *Server) listChat(w http.ResponseWriter, r *http.Request) {
	limit, err := queryInt(r, "limit", 50, 1, 200)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	other, err := s.visibleUser(r, r.PathValue("user_id"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	msgs, err := s.store.ListChat(r.Context(), actorOf(r).User.ID, other.ID, limit)
	s.respond(w, r, newPage(msgs, ""), err)
}

func (s *Server) sendChat(w http.ResponseWriter, r *http.Request) {
	var in textRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	other, err := s.visibleUser(r, r.PathValue("user_id"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	m, err := s.store.SendChat(r.Context(), actorOf(r).User.ID, other.ID, in.Text)
	s.respond(w, r, m, err)
}

// socket hands the authenticated request to the real-time hub.
func (s *Server) socket(w http.ResponseWriter, r *http.Request) {
	if s.sockets == nil {
		writeError(w, r, s.log, desk.NotFound("real-time endpoint"))
		return
	}
	s.sockets.ServeSocket(w, r, actorOf(r))
}
