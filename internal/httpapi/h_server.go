package httpapi

import (
	"net/http"

	"github.com/relevo/relevo/internal/desk"
)

// ServerInfo tells the console what it is talking to. It is public: the
// console reads it before anyone can log in, to know whether to show the
// setup page.
type ServerInfo struct {
	Version string `json:"version"`
	// Demo is true on `relevo serve --demo`: the demo's WhatsApp channel
	// sends to an in-process stand-in for Meta's Graph API, and the console
	// says so.
	Demo bool `json:"demo"`
	// NeedsSetup is true while no admin exists: the console shows the
	// one-time setup page (POST /api/v1/setup) instead of the login.
	NeedsSetup bool `json:"needs_setup"`
	// PasswordMinLength is desk's password rule, so forms can say it
	// before the server refuses a password.
	PasswordMinLength int `json:"password_min_length"`
	// PublicURL is the server's public address (--public-url), from which
	// the console builds the webhook and snippet URLs admins paste elsewhere.
	PublicURL string `json:"public_url"`
}

func (s *Server) serverInfo(w http.ResponseWriter, r *http.Request) {
	n, err := s.store.CountAdmins(r.Context())
	s.respond(w, r, ServerInfo{Version: s.cfg.Version, Demo: s.cfg.Demo, NeedsSetup: n == 0,
		PasswordMinLength: desk.MinPasswordLength, PublicURL: s.cfg.PublicURL}, err)
}

// setupRequest is the first admin, made on the setup page.
type setupRequest struct {
	Name     string `json:"name" required:"true"`
	Email    string `json:"email" required:"true"`
	Password string `json:"password" required:"true"`
}

// setup creates the first admin and logs them in. Once an admin exists the
// route is gone (not_found) for ever: the last admin cannot be removed. A
// request that passed that check but lost the race to another inside the
// store's transaction is told setup_done.
func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	if n, err := s.store.CountAdmins(r.Context()); err != nil || n > 0 {
		if err == nil {
			err = desk.NotFound("page")
		}
		writeError(w, r, s.log, err)
		return
	}
	var in setupRequest
	if err := decodeJSON(w, r, &in, 16<<10); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if err := desk.CheckPassword(in.Password); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	hash, err := s.hash(in.Password)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	u, err := s.store.CreateFirstAdmin(r.Context(), desk.User{Name: in.Name, Email: in.Email}, hash)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	s.log.Info("created the first admin on the setup page", "user", u.ID)
	s.startSession(w, r, u)
}
