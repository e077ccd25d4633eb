package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/widgetapi"
)

// Sessions. A widget token is an opaque random secret whose hash is stored
// (widget_sessions), like console sessions, rather than a stateless HMAC:
// a stored session needs no server-wide signing key to create, keep
// secret and rotate across nodes, can be ended one by one (the contact's
// sessions can be deleted), and costs one primary-key read per request,
// which the message and socket routes do anyway.

// IdentifierHash is what a site's server computes for a logged-in
// customer: hex HMAC-SHA256 of the identifier under the channel's secret.
func IdentifierHash(secret, identifier string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(identifier))
	return hex.EncodeToString(m.Sum(nil))
}

// maxSessionBody bounds POST /widget/v1/sessions.
const maxSessionBody = 16 << 10

// ServeConfig answers a web channel's public settings.
func (s *Service) ServeConfig(w http.ResponseWriter, r *http.Request, channelID string) {
	ch, cfg, err := s.channel(r.Context(), channelID)
	if err == nil {
		err = s.admit(w, r, cfg)
	}
	var bot desk.Bot
	if err == nil {
		bot, err = s.store.GetBot(r.Context(), ch.BotID)
	}
	if err != nil {
		httpkit.WriteError(w, r, s.log, err)
		return
	}
	lang := cfg.language(r)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Add("Vary", "Accept-Language")
	w.Header().Set("Content-Language", lang)
	httpkit.WriteJSON(w, http.StatusOK, cfg.Public(ch, bot, lang))
}

// ServeSession starts a visitor session: anonymous (a new visitor id, a new
// contact) or identified (the contact of that identifier on the channel,
// found again from any device).
func (s *Service) ServeSession(w http.ResponseWriter, r *http.Request) {
	res, err := s.startSession(w, r)
	if err != nil {
		httpkit.WriteError(w, r, s.log, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, res)
}

func (s *Service) startSession(w http.ResponseWriter, r *http.Request) (widgetapi.WidgetSessionResponse, error) {
	var res widgetapi.WidgetSessionResponse
	if err := s.sessions.Allow("ip:" + clientIP(r)); err != nil {
		return res, err
	}
	var in widgetapi.WidgetSessionRequest
	if err := httpkit.DecodeJSON(w, r, &in, maxSessionBody); err != nil {
		return res, err
	}
	if in.ChannelID == "" {
		return res, desk.Invalid("channel_id", "required")
	}
	ch, cfg, err := s.channel(r.Context(), in.ChannelID)
	if err != nil {
		return res, err
	}
	if err := s.admit(w, r, cfg); err != nil {
		return res, err
	}
	ic, err := sessionContact(in, cfg)
	if err != nil {
		return res, err
	}
	ic.Language = cfg.language(r)
	plain, hash, err := auth.NewToken(widgetapi.WidgetTokenPrefix)
	if err != nil {
		return res, err
	}
	ws, err := s.store.CreateWidgetSession(r.Context(), ch.ID, hash, ic, s.ttl)
	if err != nil {
		return res, err
	}
	return widgetapi.WidgetSessionResponse{Token: plain, ContactID: ws.ContactID, ExpiresAt: ws.ExpiresAt}, nil
}

// sessionContact validates a session request against the channel's
// pre-chat fields and secret, and says who the visitor is.
func sessionContact(in widgetapi.WidgetSessionRequest, cfg Config) (store.InboundContact, error) {
	ic := store.InboundContact{Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email)}
	if utf8.RuneCountInString(ic.Name) > 200 { // its characters were checked by the decoder
		return ic, desk.Invalid("name", "at most 200 characters")
	}
	if ic.Email != "" {
		if a, err := mail.ParseAddress(ic.Email); err != nil || a.Address != ic.Email || len(ic.Email) > 200 {
			return ic, desk.Invalid("email", "not an email address")
		}
	}
	if in.Identifier == "" {
		if in.IdentifierHash != "" {
			return ic, desk.Invalid("identifier", "required with identifier_hash")
		}
		for _, f := range []struct{ name, value string }{{"name", ic.Name}, {"email", ic.Email}} {
			if f.value == "" && cfg.required(f.name) {
				return ic, desk.Invalid(f.name, "required")
			}
		}
		id, err := visitorID()
		if err != nil {
			return ic, err
		}
		ic.ExternalID = "v:" + id
		if ic.Name == "" {
			ic.Name = "Visitor " + strings.ToUpper(id[:4])
		}
		return ic, nil
	}
	if len(in.Identifier) > 200 {
		return ic, desk.Invalid("identifier", "at most 200 bytes")
	}
	if cfg.Secret == "" {
		// Without a secret anyone could claim any identifier, and with it
		// that customer's conversations.
		return ic, desk.Invalid("identifier", "this channel has no secret set up for identity verification")
	}
	if !verifyIdentifier(cfg.Secret, in.Identifier, in.IdentifierHash) {
		return ic, desk.Errorf(desk.CodeUnauthenticated, "identifier_hash does not match the identifier")
	}
	ic.ExternalID = "u:" + in.Identifier
	return ic, nil
}

// verifyIdentifier compares in constant time, so the hash cannot be found
// byte by byte from response times.
func verifyIdentifier(secret, identifier, hash string) bool {
	got, err := hex.DecodeString(strings.ToLower(hash))
	if err != nil || len(got) != sha256.Size {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(identifier))
	return hmac.Equal(got, m.Sum(nil))
}

// visitorID is a fresh anonymous visitor's id: 128 random bits.
func visitorID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// visitor is an authenticated widget request: the session, its channel.
type visitor struct {
	store.WidgetSession
	tokenHash string
	channel   desk.Channel
	config    Config
}

// uploader is the uploads' created_by for the visitor's own files.
func (v visitor) uploader() string { return "widget:" + v.ContactID }

// authenticate reads the widget token (Authorization: Bearer, or ?token=
// where a header cannot be set: the socket), finds its session, and checks
// the request's origin against the session's channel.
func (s *Service) authenticate(w http.ResponseWriter, r *http.Request, queryToken bool) (visitor, error) {
	plain, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok && queryToken {
		plain = r.URL.Query().Get("token")
	}
	if !strings.HasPrefix(plain, widgetapi.WidgetTokenPrefix) || len(plain) > 200 {
		return visitor{}, desk.Errorf(desk.CodeUnauthenticated, "a widget session token is required (POST /widget/v1/sessions)")
	}
	v := visitor{tokenHash: auth.HashToken(plain)}
	var err error
	if v.WidgetSession, err = s.store.WidgetSessionByHash(r.Context(), v.tokenHash); err != nil {
		return v, err
	}
	if v.channel, v.config, err = s.channel(r.Context(), v.ChannelID); err != nil {
		if desk.IsCode(err, desk.CodeNotFound) {
			err = desk.Errorf(desk.CodeUnauthenticated, "this session's channel is gone")
		}
		return v, err
	}
	return v, s.admit(w, r, v.config)
}

// clientIP is the peer address. Forwarded headers are not trusted: a proxy
// in front should be the one limiting by the real client address.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
