package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

type userRequest struct {
	Name     *string    `json:"name"`
	Email    *string    `json:"email"`
	Role     *desk.Role `json:"role"`
	MaxChats *int       `json:"max_chats"`
	BotIDs   *[]string  `json:"bot_ids"`
	TeamIDs  *[]string  `json:"team_ids"`
	Password *string    `json:"password"`
}

func (s *Server) hash(pw string) (string, error) {
	if s.cfg.HashPassword != nil {
		return s.cfg.HashPassword(pw)
	}
	return auth.HashPassword(pw, auth.DefaultParams)
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.store.ListUsers(r.Context(), desk.BotScope(actorOf(r)))
	s.respond(w, r, newPage(users, ""), err)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	var nu newUserRequest
	if err := decodeJSON(w, r, &nu, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	in := userRequest(nu)
	if in.Password == nil {
		writeError(w, r, s.log, desk.Invalid("password", "required"))
		return
	}
	if err := desk.CheckPassword(*in.Password); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	hash, err := s.hash(*in.Password)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	u := desk.User{Name: deref(in.Name), Email: deref(in.Email), Role: desk.RoleAgent}
	if in.Role != nil {
		u.Role = *in.Role
	}
	if in.MaxChats != nil {
		u.MaxChats = *in.MaxChats
	}
	if in.BotIDs != nil {
		u.BotIDs = *in.BotIDs
	}
	if in.TeamIDs != nil {
		u.TeamIDs = *in.TeamIDs
	}
	u, err = s.store.CreateUser(r.Context(), u, hash)
	s.respond(w, r, u, err)
}

// visibleUser reads a user the caller may see (desk.CanSeeUser).
func (s *Server) visibleUser(r *http.Request, id string) (desk.User, error) {
	u, err := s.store.GetUser(r.Context(), id)
	if err != nil {
		return u, err
	}
	if !desk.CanSeeUser(actorOf(r), u) {
		return desk.User{}, desk.NotFound("user")
	}
	return u, nil
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.visibleUser(r, r.PathValue("id"))
	s.respond(w, r, u, err)
}

func (s *Server) patchUser(w http.ResponseWriter, r *http.Request) {
	var in userRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	p := store.UserPatch{Name: in.Name, Email: in.Email, Role: in.Role, MaxChats: in.MaxChats, BotIDs: in.BotIDs, TeamIDs: in.TeamIDs}
	if in.Password != nil {
		if err := desk.CheckPassword(*in.Password); err != nil {
			writeError(w, r, s.log, err)
			return
		}
		hash, err := s.hash(*in.Password)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		p.PasswordHash = &hash
	}
	// The last-admin rule is enforced by the store, inside the write, and
	// so is the end of the user's sessions with a new password: all of
	// them, but the caller's own when they change their own password.
	id := r.PathValue("id")
	if c, err := r.Cookie(sessionCookieName); err == nil && id == actorOf(r).User.ID {
		p.KeepSession = auth.HashToken(c.Value)
	}
	u, err := s.store.UpdateUser(r.Context(), id, p)
	s.respond(w, r, u, err)
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) {
	if err := desk.CheckDeleteUser(actorOf(r), r.PathValue("id")); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	// The store refuses deleting the last admin, inside the write.
	s.noContent(w, r, s.store.DeleteUser(r.Context(), r.PathValue("id")))
}

func (s *Server) noContent(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type teamRequest struct {
	Name         *string              `json:"name"`
	BotID        string               `json:"bot_id"`
	MemberIDs    *[]string            `json:"member_ids"`
	Assignment   *desk.AssignmentMode `json:"assignment"`
	ReofferAfter *desk.Seconds        `json:"reoffer_after"`
}

func (s *Server) listTeams(w http.ResponseWriter, r *http.Request) {
	teams, err := s.store.ListTeams(r.Context(), desk.BotScope(actorOf(r)))
	s.respond(w, r, newPage(teams, ""), err)
}

func (s *Server) createTeam(w http.ResponseWriter, r *http.Request) {
	var in newTeamRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	t := desk.Team{Name: deref(in.Name), BotID: in.BotID}
	if in.MemberIDs != nil {
		t.MemberIDs = *in.MemberIDs
	}
	if in.Assignment != nil {
		t.Assignment = *in.Assignment
	}
	if in.ReofferAfter != nil {
		t.ReofferAfter = *in.ReofferAfter
	}
	t, err := s.store.CreateTeam(r.Context(), t)
	s.respond(w, r, t, err)
}

func (s *Server) patchTeam(w http.ResponseWriter, r *http.Request) {
	var in teamRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	t, err := s.store.UpdateTeam(r.Context(), r.PathValue("id"), store.TeamPatch{Name: in.Name, MemberIDs: in.MemberIDs,
		Assignment: in.Assignment, ReofferAfter: in.ReofferAfter})
	s.respond(w, r, t, err)
}

func (s *Server) deleteTeam(w http.ResponseWriter, r *http.Request) {
	s.noContent(w, r, s.store.DeleteTeam(r.Context(), r.PathValue("id")))
}

type botRequest struct {
	Name           *string          `json:"name"`
	MemberIDs      *[]string        `json:"member_ids"`
	AutoCloseAfter *desk.Seconds    `json:"auto_close_after"`
	Notices        *noticesRequest  `json:"notices"`
	Flow           *json.RawMessage `json:"flow"`
	WebhookURL     *string          `json:"webhook_url"`
	// HandoverKeywords replaces the bot's keywords; [] restores the defaults.
	HandoverKeywords *[]string            `json:"handover_keywords"`
	Assignment       *desk.AssignmentMode `json:"assignment"`
	// CSAT replaces the satisfaction survey setting.
	CSAT          *csatRequest          `json:"csat"`
	BusinessHours *businessHoursRequest `json:"business_hours"`
	// Calls is who may call whom with what media (off by default).
	Calls *callsRequest `json:"calls"`
}

// botView is a bot as non-admins see it: no webhook secret, plus how many
// conversations wait in its queue (the agent dashboard shows it).
type botView struct {
	desk.Bot
	Waiting int `json:"waiting"`
}

func (s *Server) viewBot(r *http.Request, b desk.Bot) botView {
	return botView{Bot: desk.ViewBot(actorOf(r), b)}
}

func (s *Server) listBots(w http.ResponseWriter, r *http.Request) {
	bots, err := s.store.ListBots(r.Context(), desk.BotScope(actorOf(r)))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	waiting, err := s.store.WaitingByBot(r.Context())
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out := make([]botView, len(bots))
	for i, b := range bots {
		out[i] = s.viewBot(r, b)
		out[i].Waiting = waiting[b.ID]
	}
	writeJSON(w, http.StatusOK, newPage(out, ""))
}

func (s *Server) getBot(w http.ResponseWriter, r *http.Request) {
	if !actorOf(r).CanSeeBot(r.PathValue("id")) {
		writeError(w, r, s.log, desk.NotFound("bot"))
		return
	}
	b, err := s.store.GetBot(r.Context(), r.PathValue("id"))
	s.respond(w, r, s.viewBot(r, b), err)
}

func (s *Server) createBot(w http.ResponseWriter, r *http.Request) {
	var nb newBotRequest
	if err := decodeJSON(w, r, &nb, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	in := botRequest(nb)
	b := desk.Bot{Name: deref(in.Name), WebhookURL: deref(in.WebhookURL)}
	if in.MemberIDs != nil {
		b.MemberIDs = *in.MemberIDs
	}
	if in.AutoCloseAfter != nil {
		b.AutoCloseAfter = *in.AutoCloseAfter
	}
	if n := in.Notices.notices(); n != nil {
		b.Notices = *n
	}
	if in.Flow != nil {
		b.Flow = *in.Flow
	}
	if in.HandoverKeywords != nil {
		b.HandoverKeywords = *in.HandoverKeywords
	}
	if in.Assignment != nil {
		b.Assignment = *in.Assignment
	}
	if in.CSAT != nil {
		b.CSAT = desk.CSAT(*in.CSAT)
	}
	if h := in.BusinessHours.hours(); h != nil {
		b.BusinessHours = *h
	}
	if c := in.Calls.calls(); c != nil {
		b.Calls = *c
	}
	b, err := s.store.CreateBot(r.Context(), b)
	s.respond(w, r, b, err)
}

func (s *Server) patchBot(w http.ResponseWriter, r *http.Request) {
	var in botRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	b, err := s.store.UpdateBot(r.Context(), r.PathValue("id"), store.BotPatch{Name: in.Name, MemberIDs: in.MemberIDs,
		AutoCloseAfter: in.AutoCloseAfter, Notices: in.Notices.notices(), Flow: in.Flow, WebhookURL: in.WebhookURL,
		HandoverKeywords: in.HandoverKeywords, Assignment: in.Assignment, CSAT: in.CSAT.csat(), BusinessHours: in.BusinessHours.hours(), Calls: in.Calls.calls()})
	s.respond(w, r, desk.ViewBot(actorOf(r), b), err)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
