package httpapi

import (
	"net/http"

	"github.com/relevo/relevo/internal/desk"
)

// colleague is a member of a bot as its colleagues see it: enough to pick
// whom to transfer a conversation to, and nothing more (no email, no load).
type colleague struct {
	ID      string          `json:"id"`
	Name    string          `json:"name"`
	Role    desk.Role       `json:"role"`
	Status  desk.UserStatus `json:"status"`
	TeamIDs []string        `json:"team_ids"`
}

// botAgents lists the online members of a bot: the people a conversation of
// that bot may be transferred to (?status=any: every member, so the console
// can name who did what in a timeline). Agents may not read the user list
// or the monitor, yet the transfer dialog needs exactly this, so any member
// of the bot may ask.
func (s *Server) botAgents(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !actorOf(r).CanSeeBot(id) {
		writeError(w, r, s.log, desk.NotFound("bot"))
		return
	}
	if _, err := s.store.GetBot(r.Context(), id); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	users, err := s.store.ListUsers(r.Context(), []string{id})
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	anyStatus := r.URL.Query().Get("status") == "any"
	out := []colleague{}
	for _, u := range users {
		if (anyStatus || u.Status == desk.StatusOnline) && u.MemberOf(id) {
			teams := u.TeamIDs
			if teams == nil {
				teams = []string{}
			}
			out = append(out, colleague{ID: u.ID, Name: u.Name, Role: u.Role, Status: u.Status, TeamIDs: teams})
		}
	}
	writeJSON(w, http.StatusOK, newPage(out, ""))
}
