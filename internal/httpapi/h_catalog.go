package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

type channelRequest struct {
	BotID  string           `json:"bot_id"`
	Type   desk.ChannelType `json:"type"`
	Name   *string          `json:"name"`
	Config *json.RawMessage `json:"config"`
}

func (s *Server) listChannels(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	chs, err := s.store.ListChannels(r.Context(), desk.BotScope(a))
	for i := range chs {
		chs[i] = desk.ViewChannel(a, chs[i])
	}
	s.respond(w, r, newPage(chs, ""), err)
}

func (s *Server) getChannel(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	c, err := s.store.GetChannel(r.Context(), r.PathValue("id"))
	if err == nil && !a.CanSeeBot(c.BotID) {
		err = desk.NotFound("channel")
	}
	s.respond(w, r, desk.ViewChannel(a, c), err)
}

func (s *Server) createChannel(w http.ResponseWriter, r *http.Request) {
	var in newChannelRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	c := desk.Channel{BotID: in.BotID, Type: in.Type, Name: deref(in.Name)}
	if in.Config != nil {
		c.Config = *in.Config
	}
	if err := withVerifyToken(&c); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	c, err := s.store.CreateChannel(r.Context(), c)
	s.respond(w, r, desk.ViewChannel(actorOf(r), c), err)
}

func (s *Server) patchChannel(w http.ResponseWriter, r *http.Request) {
	var in channelRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	c, err := s.store.UpdateChannel(r.Context(), r.PathValue("id"), store.ChannelPatch{Name: in.Name, Config: in.Config})
	s.respond(w, r, desk.ViewChannel(actorOf(r), c), err)
}

func (s *Server) listReasons(w http.ResponseWriter, r *http.Request) {
	rs, err := s.store.ListReasons(r.Context(), desk.BotScope(actorOf(r)))
	s.respond(w, r, newPage(rs, ""), err)
}

func (s *Server) createReason(w http.ResponseWriter, r *http.Request) {
	var in reasonRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out, err := s.store.CreateReason(r.Context(), desk.Reason{Name: in.Name, BotID: in.BotID})
	s.respond(w, r, out, err)
}

func (s *Server) listTags(w http.ResponseWriter, r *http.Request) {
	tags, err := s.store.ListTags(r.Context())
	s.respond(w, r, newPage(tags, ""), err)
}

func (s *Server) createTag(w http.ResponseWriter, r *http.Request) {
	var in tagRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out, err := s.store.CreateTag(r.Context(), desk.Tag{Name: in.Name, Color: in.Color})
	s.respond(w, r, out, err)
}

// listTemplates offers the approved templates of a channel whose roles
// include the caller's (admins see all).
func (s *Server) listTemplates(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	id := r.URL.Query().Get("channel_id")
	if id == "" {
		writeError(w, r, s.log, desk.Invalid("channel_id", "required"))
		return
	}
	ch, err := s.store.GetChannel(r.Context(), id)
	if err == nil && !a.CanSeeBot(ch.BotID) {
		err = desk.NotFound("channel")
	}
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	ts, err := s.store.ListTemplates(r.Context(), id, a.Role())
	s.respond(w, r, newPage(ts, ""), err)
}

func (s *Server) createTemplate(w http.ResponseWriter, r *http.Request) {
	var in newTemplateRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out, err := s.store.CreateTemplate(r.Context(), in.template())
	s.respond(w, r, out, err)
}

type tokenRequest struct {
	Name  string `json:"name" required:"true"`
	BotID string `json:"bot_id"`
	// RateLimit is the token's own rate, requests a second (burst twice
	// that); absent or null: the server's default.
	RateLimit *int `json:"rate_limit"`
}

type tokenResponse struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	BotID     string    `json:"bot_id"`
	Token     string    `json:"token"`
	CreatedAt time.Time `json:"created_at"`
	RateLimit *int      `json:"rate_limit"`
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := s.store.ListTokens(r.Context())
	s.respond(w, r, newPage(ts, ""), err)
}

// createToken shows the secret this once; only its hash is stored.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	var in tokenRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	plain, hash, err := auth.NewToken(auth.APITokenPrefix)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	t, err := s.store.CreateTokenRate(r.Context(), in.Name, in.BotID, actorOf(r).User.ID, hash, in.RateLimit)
	s.respond(w, r, tokenResponse{ID: t.ID, Name: t.Name, BotID: t.BotID, Token: plain, CreatedAt: t.CreatedAt, RateLimit: t.RateLimit}, err)
}

// tokenPatchRequest is PATCH /api/v1/tokens/{id}. rate_limit must be sent:
// null is a request (back to the server's default), so a missing field
// must not be mistaken for one.
type tokenPatchRequest struct {
	RateLimit *int `json:"rate_limit" required:"true"`
	sent      bool
}

// UnmarshalJSON records whether rate_limit was in the body at all.
func (p *tokenPatchRequest) UnmarshalJSON(b []byte) error {
	type plain tokenPatchRequest // drops the method, so no recursion
	var probe struct {
		RateLimit json.RawMessage `json:"rate_limit"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return err
	}
	p.sent = probe.RateLimit != nil
	return json.Unmarshal(b, (*plain)(p))
}

func (s *Server) patchToken(w http.ResponseWriter, r *http.Request) {
	var in tokenPatchRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if !in.sent {
		writeError(w, r, s.log, desk.Invalid("rate_limit", "required: requests a second, or null for the server's default"))
		return
	}
	t, err := s.store.SetTokenRate(r.Context(), r.PathValue("id"), in.RateLimit)
	s.respond(w, r, t, err)
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	s.noContent(w, r, s.store.RevokeToken(r.Context(), r.PathValue("id")))
}
