package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/relevo/relevo/internal/bot"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
	"github.com/relevo/relevo/internal/ice"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/webhook"
)

// Config holds the HTTP layer's settings.
type Config struct {
	Version string
	// Demo is set when the server runs the demo world (relevo serve --demo),
	// so the console can say which parts are stand-ins.
	Demo bool
	// PublicURL is where browsers reach this server ("https://relevo.example",
	// no trailing slash): the console builds snippets and URLs from it.
	PublicURL string
	// UploadDir is where uploaded files are written.
	UploadDir string
	// MaxUpload bounds one uploaded file (default 25 MiB).
	MaxUpload int64
	// SessionTTL is how long a console session lives without use (default 12 h).
	SessionTTL time.Duration
	// SecureCookies sets the Secure flag (when served over HTTPS).
	SecureCookies bool
	// LoginMaxFailures per account and per IP inside LoginWindow
	// (defaults 10 and 15 minutes).
	LoginMaxFailures int
	LoginWindow      time.Duration
	// TokenRate and TokenBurst bound the requests per second of each API
	// token without a rate_limit of its own (defaults 100 and 200).
	TokenRate  float64
	TokenBurst int
	// PasswordHasher hashes new passwords (tests use cheap parameters).
	HashPassword func(string) (string, error)
}

// Server serves the API.
type Server struct {
	cfg     Config
	store   *store.Store
	log     *slog.Logger
	ready   func(context.Context) error
	routes  []Route
	handler http.Handler
	openapi []byte
	metrics *metrics
	sockets SocketServer
	// whatsapp serves the WhatsApp webhooks and template sync (nil: none).
	whatsapp WhatsApp
	// widget serves the web chat widget's routes (nil: none).
	widget Widget
	// botEvents sends bots' test events and logs them.
	botEvents bot.EventSender
	// ice makes callers' ICE configurations.
	ice ICESource
	// tokenLimit bounds each API token's request rate: the configured
	// default, or the token's own rate_limit.
	tokenLimit *httpkit.Limiter
}

// Deps are the services the API calls.
type Deps struct {
	Store *store.Store
	Log   *slog.Logger
	// Ready reports whether the store and the bus answer.
	Ready func(context.Context) error
	// Registry receives the HTTP metrics (nil: a private registry).
	Registry *prometheus.Registry
	// Sockets serves GET /api/v1/ws for an authenticated console user.
	Sockets SocketServer
	// WhatsApp serves /webhooks/whatsapp/{channel_id} and template sync.
	WhatsApp WhatsApp
	// Widget serves /widget.js and /widget/v1/ (the web chat widget).
	Widget Widget
	// ICE makes callers' ICE configurations (nil: from the store's
	// settings, no relay).
	ICE ICESource
	// Webhook posts the bots' test events (zero: a default client).
	Webhook webhook.Poster
	// Extra routes mounted outside the table (the console, the widget):
	// a pattern and its handler.
	Extra map[string]http.Handler
}

// SocketServer upgrades a console request to the real-time socket.
type SocketServer interface {
	ServeSocket(w http.ResponseWriter, r *http.Request, a desk.Actor)
}

// maxTokenBuckets bounds the token rate limiter's map: past it, new tokens
// share one bucket.
const maxTokenBuckets = 50_000

// New builds the server and its route table.
func New(cfg Config, d Deps) (*Server, error) {
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 25 << 20
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.LoginMaxFailures <= 0 {
		cfg.LoginMaxFailures = 10
	}
	if cfg.LoginWindow <= 0 {
		cfg.LoginWindow = 15 * time.Minute
	}
	if cfg.TokenRate <= 0 {
		cfg.TokenRate = 100
	}
	if cfg.TokenBurst <= 0 {
		cfg.TokenBurst = desk.TokenBurst(int(cfg.TokenRate))
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.ICE == nil {
		d.ICE = &ice.Service{Settings: d.Store.ICESettings, Now: d.Store.Now}
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	s := &Server{cfg: cfg, store: d.Store, log: d.Log, ready: d.Ready, metrics: newMetrics(d.Registry), sockets: d.Sockets, whatsapp: d.WhatsApp, widget: d.Widget, ice: d.ICE, botEvents: bot.EventSender{Poster: d.Webhook, Store: d.Store},
		tokenLimit: httpkit.NewLimiter(rate.Limit(cfg.TokenRate), cfg.TokenBurst, maxTokenBuckets)}
	s.routes = s.routeTable()
	doc, err := buildOpenAPI(s.routes, cfg.Version)
	if err != nil {
		return nil, err
	}
	s.openapi = doc
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	for pattern, h := range d.Extra {
		mux.Handle(pattern, h)
	}
	s.handler = s.recoverer(crossOrigin(mux))
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes is the route table (tests walk it).
func (s *Server) Routes() []Route { return s.routes }

// OpenAPI is the served OpenAPI document.
func (s *Server) OpenAPI() []byte { return s.openapi }
