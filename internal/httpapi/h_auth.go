package httpapi

import (
	"net"
	"net/http"
	"strings"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/desk"
)

type loginRequest struct {
	Email    string `json:"email" required:"true"`
	Password string `json:"password" required:"true"`
}

type userResponse struct {
	User desk.User `json:"user"`
}

type statusRequest struct {
	Status      desk.UserStatus `json:"status" required:"true"`
	PauseReason string          `json:"pause_reason"`
}

type healthResponse struct {
	Status string `json:"status"`
}

// login checks a password, throttled per account and per client IP with
// counters kept in the store, so the limit holds across nodes and restarts.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in loginRequest
	if err := decodeJSON(w, r, &in, 16<<10); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if email == "" || in.Password == "" {
		writeError(w, r, s.log, desk.Invalid("email", "email and password are required"))
		return
	}
	keys := []string{"account:" + email, "ip:" + clientIP(r)}
	ctx := r.Context()
	// One address is allowed more failures than one account: many agents
	// may sit behind one NAT, and ten typos among them must not lock the
	// whole floor out.
	wait, err := s.store.LoginThrottled(ctx, keys[:1], s.cfg.LoginMaxFailures, s.cfg.LoginWindow)
	if err == nil && wait == 0 {
		wait, err = s.store.LoginThrottled(ctx, keys[1:], s.cfg.LoginMaxFailures*10, s.cfg.LoginWindow)
	}
	if err != nil {
		writeError(w, r, s.log, err)
		return
	} else if wait > 0 {
		e := desk.Errorf(desk.CodeRateLimited, "too many failed logins; try again later")
		e.RetryAfter = wait
		writeError(w, r, s.log, e)
		return
	}
	u, hash, err := s.store.UserByEmail(ctx, email)
	ok := false
	if err == nil {
		ok, _ = auth.VerifyPassword(hash, in.Password)
	} else if !desk.IsCode(err, desk.CodeNotFound) {
		writeError(w, r, s.log, err)
		return
	}
	if !ok {
		if err := s.store.RecordLoginFailure(ctx, keys, s.cfg.LoginWindow); err != nil {
			writeError(w, r, s.log, err)
			return
		}
		writeError(w, r, s.log, desk.Errorf(desk.CodeUnauthenticated, "wrong email or password"))
		return
	}
	_ = s.store.ClearLoginFailures(ctx, keys[:1])
	s.startSession(w, r, u)
}

// startSession logs u in: a new session, its cookie, and u as the answer.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u desk.User) {
	plain, tokenHash, err := auth.NewToken(auth.SessionPrefix)
	if err == nil {
		err = s.store.CreateSession(r.Context(), u.ID, tokenHash, s.cfg.SessionTTL)
	}
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	s.setSessionCookie(w, plain)
	writeJSON(w, http.StatusOK, userResponse{User: u})
}

// setSessionCookie sets the console session cookie to live SessionTTL from
// now. Login sets it, and every request the session authenticates sets it
// again: the store slides the session while it is used, and a cookie that
// kept its login-time Max-Age would be dropped by the browser 12 h after
// login however busy its user was.
func (s *Server) setSessionCookie(w http.ResponseWriter, value string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookieName, Value: value, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(s.cfg.SessionTTL.Seconds())})
}

// clientIP is the peer address. Forwarded headers are not trusted: a proxy
// in front should be configured to limit by itself.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookieName); err == nil {
		if err := s.store.DeleteSession(r.Context(), auth.HashToken(c.Value)); err != nil {
			writeError(w, r, s.log, err)
			return
		}
	}
	w.Header().Del("Set-Cookie") // the refresh the middleware set: this session is over
	http.SetCookie(w, &http.Cookie{Name: sessionCookieName, Value: "", Path: "/", HttpOnly: true, MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, actorOf(r).User)
}

func (s *Server) setMyStatus(w http.ResponseWriter, r *http.Request) {
	var in statusRequest
	if err := decodeJSON(w, r, &in, defaultBodyLimit); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	u, err := s.store.SetStatus(r.Context(), actorOf(r).User.ID, in.Status, in.PauseReason)
	s.respond(w, r, u, err)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, healthResponse{Status: "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.ready != nil {
		if err := s.ready(r.Context()); err != nil {
			s.log.Warn("not ready", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, healthResponse{Status: "unavailable"})
			return
		}
	}
	writeJSON(w, http.StatusOK, healthResponse{Status: "ok"})
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(s.openapi)
}

// respond writes v as 200, or err.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}
