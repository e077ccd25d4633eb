package httpapi

import (
	"net/http"

	"github.com/relevo/relevo/internal/desk"
)

// The supervisor's floor beyond GET /monitor: its own hide preferences
// and the queue health figures.

func (s *Server) getMonitorPreferences(w http.ResponseWriter, r *http.Request) {
	p, err := s.store.MonitorPreferences(r.Context(), actorOf(r).User.ID)
	s.respond(w, r, p, err)
}

// monitorPreferencesRequest is PUT /api/v1/me/monitor-preferences: both
// lists, each replacing what was stored (an empty list hides nothing), and
// optionally the waiting threshold (absent: the stored one stays).
type monitorPreferencesRequest struct {
	HiddenAgentIDs          *[]string     `json:"hidden_agent_ids" required:"true"`
	HiddenTeamIDs           *[]string     `json:"hidden_team_ids" required:"true"`
	WaitingThresholdSeconds *desk.Seconds `json:"waiting_threshold_seconds,omitempty"`
}

// putMonitorPreferences replaces the caller's hidden agents and teams;
// only ids the caller can see are accepted.
func (s *Server) putMonitorPreferences(w http.ResponseWriter, r *http.Request) {
	var req monitorPreferencesRequest
	if err := decodeJSON(w, r, &req, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	// A missing list would silently unhide everything: refuse it.
	if req.HiddenAgentIDs == nil {
		writeError(w, r, s.log, desk.Invalid("hidden_agent_ids", "required"))
		return
	}
	if req.HiddenTeamIDs == nil {
		writeError(w, r, s.log, desk.Invalid("hidden_team_ids", "required"))
		return
	}
	in := desk.MonitorPreferences{HiddenAgentIDs: *req.HiddenAgentIDs, HiddenTeamIDs: *req.HiddenTeamIDs}
	a := actorOf(r)
	if req.WaitingThresholdSeconds != nil {
		// Checked here so an explicit 0 is refused rather than defaulted.
		// A Seconds is at most ~2^33, so int holds it on 64-bit platforms.
		if err := desk.CheckWaitingThreshold(int(*req.WaitingThresholdSeconds)); err != nil {
			writeError(w, r, s.log, err)
			return
		}
		in.WaitingThresholdSeconds = int(*req.WaitingThresholdSeconds)
	} else {
		stored, err := s.store.MonitorPreferences(r.Context(), a.User.ID)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		in.WaitingThresholdSeconds = stored.WaitingThresholdSeconds
	}
	scope := desk.BotScope(a)
	users, err := s.store.ListUsers(r.Context(), scope)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	teams, err := s.store.ListTeams(r.Context(), scope)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	p, err := desk.CheckMonitorPreferences(a, in, users, teams)
	if err == nil {
		p, err = s.store.SetMonitorPreferences(r.Context(), a.User.ID, p)
	}
	s.respond(w, r, p, err)
}

// monitorHealth gives the queue health figures of the caller's bots (or
// of the ?bot= ones among them).
// Without ?threshold= the caller's own waiting threshold counts.
func (s *Server) monitorHealth(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	prefs, err := s.store.MonitorPreferences(r.Context(), a.User.ID)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	threshold, err := querySeconds(r, "threshold", desk.Seconds(prefs.WaitingThresholdSeconds), 1, 7*24*3600)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	scope := desk.BotScope(a)
	if bots := list(r, "bot"); len(bots) > 0 {
		for _, b := range bots {
			if !a.CanSeeBot(b) {
				writeError(w, r, s.log, desk.NotFound("bot"))
				return
			}
		}
		scope = bots
	}
	h, err := s.store.QueueHealth(r.Context(), scope, threshold.Duration())
	s.respond(w, r, h, err)
}
