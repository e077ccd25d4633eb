package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
)

// Origins. The widget itself runs in an iframe served from this server, so
// its calls come from this server's own origin (or carry no Origin at all:
// browsers leave it off same-origin GETs, and non-browser clients have
// none); what keeps it off foreign sites is the iframe page's
// frame-ancestors. A site calling the routes directly (its own chat UI) is
// a cross-origin caller: admitted when the channel lists its origin, or
// lists none, and then answered with CORS headers.

// errOrigin refuses a browser on a site the channel does not allow.
var errOrigin = desk.Errorf(desk.CodeForbidden, "this site may not use this chat channel (allowed_origins)")

// admit checks r's Origin against the channel and sets the CORS headers
// for an admitted cross-origin caller.
func (s *Service) admit(w http.ResponseWriter, r *http.Request, cfg Config) error {
	origin := r.Header.Get("Origin")
	if origin == "" || s.ownOrigin(r, origin) {
		return nil
	}
	n, ok := normalOrigin(origin)
	if !ok || (len(cfg.AllowedOrigins) > 0 && !slices.Contains(cfg.AllowedOrigins, n)) {
		return errOrigin
	}
	setCORS(w, origin)
	return nil
}

// ownOrigin reports whether origin is this server: the host the request
// was sent to, or the public URL's.
func (s *Service) ownOrigin(r *http.Request, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	return strings.EqualFold(u.Host, r.Host) || (s.publicHost != "" && strings.EqualFold(u.Host, s.publicHost))
}

func setCORS(w http.ResponseWriter, origin string) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", "Retry-After")
}

// ServePreflight answers a CORS preflight. A preflight carries neither the
// body nor the token, so for most routes the channel is not known yet: the
// origin passes when some web channel admits it, and the request itself is
// then checked against its own channel. The config route names its
// channel in the path and is checked exactly.
func (s *Service) ServePreflight(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin == "" {
		httpkit.WriteError(w, r, s.log, desk.Errorf(desk.CodeBadRequest, "a preflight needs an Origin"))
		return
	}
	ok := s.ownOrigin(r, origin)
	if !ok {
		var err error
		if id, found := configChannel(r.URL.Path); found {
			ok, err = s.channelAdmits(r.Context(), id, origin)
		} else {
			ok, err = s.someChannelAdmits(r.Context(), origin)
		}
		if err != nil {
			httpkit.WriteError(w, r, s.log, err)
			return
		}
	}
	if !ok {
		httpkit.WriteError(w, r, s.log, errOrigin)
		return
	}
	setCORS(w, origin)
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// configChannel finds the channel id in /widget/v1/channels/{id}/config.
func configChannel(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "/widget/v1/channels/")
	if !ok {
		return "", false
	}
	id, ok := strings.CutSuffix(rest, "/config")
	return id, ok && id != "" && !strings.Contains(id, "/")
}

func (s *Service) channelAdmits(ctx context.Context, id, origin string) (bool, error) {
	_, cfg, err := s.channel(ctx, id)
	if desk.IsCode(err, desk.CodeNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return admits(cfg, origin), nil
}

func admits(cfg Config, origin string) bool {
	n, ok := normalOrigin(origin)
	return ok && (len(cfg.AllowedOrigins) == 0 || slices.Contains(cfg.AllowedOrigins, n))
}

// originCacheFor is how long the web channels' origins are kept for
// preflights: a channel's new origin works within this.
const originCacheFor = 30 * time.Second

// originCache holds every web channel's parsed config for preflights.
type originCache struct {
	mu      sync.Mutex
	configs []Config
	read    time.Time
}

func (s *Service) someChannelAdmits(ctx context.Context, origin string) (bool, error) {
	c := &s.origins
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.read) > originCacheFor {
		chans, err := s.store.ListChannels(ctx, nil)
		if err != nil {
			return false, err
		}
		c.configs = c.configs[:0]
		for _, ch := range chans {
			if ch.Type != desk.ChannelWeb {
				continue
			}
			if cfg, err := ParseConfig(ch.Config); err == nil {
				c.configs = append(c.configs, cfg)
			}
		}
		c.read = time.Now()
	}
	for _, cfg := range c.configs {
		if admits(cfg, origin) {
			return true, nil
		}
	}
	return false, nil
}
