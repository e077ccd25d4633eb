package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
	"github.com/relevo/relevo/internal/widgetapi"
)

type ctxKey int

const actorKey ctxKey = 1

// actorOf is the authenticated caller of a request.
func actorOf(r *http.Request) desk.Actor {
	a, _ := r.Context().Value(actorKey).(desk.Actor)
	return a
}

// wrap authenticates and authorizes by the route's Access, then calls the
// handler, recording metrics.
func (s *Server) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() { s.metrics.observe(rt, rec.status, time.Since(start)) }()
		if err := httpkit.CheckRequestParams(r); err != nil {
			writeError(rec, r, s.log, err)
			return
		}
		if rt.Access != AccessPublic && rt.Access != AccessWebhook && rt.Access != AccessWidget {
			actor, err := s.authenticate(r, rt.Access)
			if err == nil {
				err = permit(rt.Access, r.Method, actor)
			}
			if err != nil {
				writeError(rec, r, s.log, err)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), actorKey, actor))
			if c, err := r.Cookie(sessionCookieName); err == nil && actor.User != nil && !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
				s.setSessionCookie(rec, c.Value) // the session slid: so does its cookie
			}
		}
		rt.Handler(rec, r)
	})
}

// authenticate finds the caller: a bearer token (integrations, bots) or the
// session cookie (console users).
func (s *Server) authenticate(r *http.Request, access Access) (desk.Actor, error) {
	// Only a Bearer credential counts: a proxy's Basic auth in front of the
	// console must not turn every console request into a token request.
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		if strings.HasPrefix(h, "Bearer "+widgetapi.WidgetTokenPrefix) {
			return desk.Actor{}, desk.Errorf(desk.CodeUnauthenticated, "a widget token opens only the widget's routes")
		}
		if access == AccessSession || access == AccessSupervisor || access == AccessAdmin || access == AccessAdminWriteSupervisorRead {
			return desk.Actor{}, desk.Errorf(desk.CodeForbidden, "this route is for console users")
		}
		plain, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || plain == "" {
			return desk.Actor{}, desk.Errorf(desk.CodeUnauthenticated, "use Authorization: Bearer <token>")
		}
		tok, err := s.store.TokenByHash(r.Context(), auth.HashToken(plain))
		if err != nil {
			if desk.IsCode(err, desk.CodeNotFound) {
				return desk.Actor{}, desk.Errorf(desk.CodeUnauthenticated, "unknown or revoked token")
			}
			return desk.Actor{}, err
		}
		// The token's own rate is read with it, so a change made on any node
		// holds here from the next request on.
		every, burst := s.tokenLimit.Limit(), s.tokenLimit.Burst()
		if tok.RateLimit != nil {
			every, burst = rate.Limit(*tok.RateLimit), desk.TokenBurst(*tok.RateLimit)
		}
		if err := s.tokenLimit.AllowAt(tok.ID, every, burst); err != nil {
			return desk.Actor{}, err
		}
		// At most one write a minute per token (store.TouchToken reads the
		// time that came with the token); a failed write loses one "last
		// used" mark, which is not worth refusing the request for.
		if err := s.store.TouchToken(r.Context(), tok); err != nil {
			s.log.Warn("token last use not recorded", "token_id", tok.ID, "err", err)
		}
		return desk.Actor{Integration: true, BotID: tok.BotID}, nil
	}
	if access == AccessIntegration {
		return desk.Actor{}, desk.Errorf(desk.CodeUnauthenticated, "a bearer token is required")
	}
	c, err := r.Cookie(sessionCookieName)
	if err != nil || c.Value == "" {
		return desk.Actor{}, desk.Errorf(desk.CodeUnauthenticated, "log in first")
	}
	u, err := s.store.UserBySession(r.Context(), auth.HashToken(c.Value))
	if err != nil {
		if desk.IsCode(err, desk.CodeNotFound) {
			return desk.Actor{}, desk.Errorf(desk.CodeUnauthenticated, "your session has ended; log in again")
		}
		return desk.Actor{}, err
	}
	return desk.UserActor(u), nil
}

// permit checks the caller's role against the route's access level.
func permit(access Access, method string, a desk.Actor) error {
	role := a.Role()
	switch access {
	case AccessSupervisor:
		if !role.Supervises() {
			return desk.Errorf(desk.CodeForbidden, "supervisors and admins only")
		}
	case AccessAdmin:
		if role != desk.RoleAdmin {
			return desk.Errorf(desk.CodeForbidden, "admins only")
		}
	case AccessAdminWriteSupervisorRead:
		if method == http.MethodGet && !role.Supervises() || method != http.MethodGet && role != desk.RoleAdmin {
			return desk.Errorf(desk.CodeForbidden, "admins change settings; supervisors read them")
		}
	}
	return nil
}

// crossOrigin refuses cross-site state changes made with the session
// cookie. Bearer requests carry no ambient credential, so they pass; the
// widget and webhooks are called from other origins by design.
func crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, nil, desk.Errorf(desk.CodeForbidden, "cross-origin request refused"))
	}))
	protected := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") || crossOriginExempt(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		protected.ServeHTTP(w, r)
	})
}

// crossOriginExempt reports whether path is called from other origins by
// design (the widget, webhooks); the OpenAPI document reads it too.
func crossOriginExempt(path string) bool {
	return strings.HasPrefix(path, "/widget/") || strings.HasPrefix(path, "/webhooks/")
}

// recoverer turns a panic into a 500 without taking the process down.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("http: panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				writeError(w, r, nil, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the real writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
