package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net/url"
	"time"

	"golang.org/x/time/rate"

	"github.com/relevo/relevo/internal/channel/misconfig"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
	"github.com/relevo/relevo/internal/ice"
	"github.com/relevo/relevo/internal/store"
)

// Options configure a Service.
type Options struct {
	Store *store.Store
	// Publish puts a change on the bus (the visitor's typing travels so).
	Publish func([]desk.Change)
	Log     *slog.Logger
	// Files is the built widget: index.html, assets/ and widget.js (the
	// loader); nil or empty answers that the widget is not built.
	Files fs.FS
	// PublicURL is where browsers reach this server; its host counts as
	// the widget's own origin, like the request's Host.
	PublicURL string
	// UploadDir is where visitors' files are written (the uploads folder).
	UploadDir string
	// MaxUpload bounds one visitor file (default 10 MiB).
	MaxUpload int64
	// SessionTTL is how long an unused widget session lives (default 30
	// days; used in its second half, it is renewed).
	SessionTTL time.Duration
	// SessionsPerMinute bounds new sessions per client IP (default 10).
	SessionsPerMinute int
	// MessageRate and MessageBurst bound a visitor's messages and uploads
	// per session token: a second, and at once (defaults 2 and 20).
	MessageRate  float64
	MessageBurst int
	// SendQueue is how many frames may wait for one socket before it is
	// closed as too slow (default 64).
	SendQueue int
	// ICE answers GET /widget/v1/calls/ice (nil: from the store's
	// settings, no relay).
	ICE ICESource
	// CallGrace is how long a customer's last socket may be gone before
	// its live call ends (default desk.CallPartyGrace; tests shorten it).
	CallGrace time.Duration
}

// ICESource makes a caller's ICE configuration (ice.Service).
type ICESource interface {
	For(ctx context.Context, subject string) (desk.IceConfig, error)
}

// Service is the web widget for every web channel of the store.
type Service struct {
	store      *store.Store
	publish    func([]desk.Change)
	log        *slog.Logger
	publicHost string
	uploads    string
	maxUpload  int64
	ttl        time.Duration
	sessions   *httpkit.Limiter
	messages   *httpkit.Limiter
	origins    originCache
	bots       botNames
	static     *static
	hub        *hub
	// misconfig answers for channels whose stored config cannot be used.
	misconfig *misconfig.Reporter
	ice       ICESource
}

// maxLimiterKeys bounds each rate limiter's map.
const maxLimiterKeys = 50_000

// New builds the service; Close ends its sockets.
func New(o Options) *Service {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.MaxUpload <= 0 {
		o.MaxUpload = 10 << 20
	}
	if o.SessionTTL <= 0 {
		o.SessionTTL = 30 * 24 * time.Hour
	}
	if o.SessionsPerMinute <= 0 {
		o.SessionsPerMinute = 10
	}
	if o.MessageRate <= 0 {
		o.MessageRate = 2
	}
	if o.MessageBurst <= 0 {
		o.MessageBurst = 20
	}
	if o.SendQueue <= 0 {
		o.SendQueue = 64
	}
	if o.Publish == nil {
		o.Publish = func([]desk.Change) {}
	}
	s := &Service{store: o.Store, publish: o.Publish, log: o.Log, uploads: o.UploadDir, maxUpload: o.MaxUpload, ttl: o.SessionTTL,
		sessions: httpkit.NewLimiter(httpkit.Per(o.SessionsPerMinute, time.Minute), o.SessionsPerMinute, maxLimiterKeys),
		messages: httpkit.NewLimiter(rate.Limit(o.MessageRate), o.MessageBurst, maxLimiterKeys), misconfig: misconfig.New(o.Log)}
	if u, err := url.Parse(o.PublicURL); err == nil {
		s.publicHost = u.Host
	}
	s.ice = o.ICE
	if s.ice == nil && o.Store != nil {
		s.ice = &ice.Service{Settings: o.Store.ICESettings, Now: o.Store.Now}
	}
	s.static = newStatic(o.Files, s)
	if o.CallGrace <= 0 {
		o.CallGrace = desk.CallPartyGrace
	}
	s.hub = newHub(s, o.SendQueue, o.CallGrace)
	return s
}

// Close closes every widget socket with "going away" and waits for them.
func (s *Service) Close() { s.hub.close() }

// OnChange routes one committed change to the visitors' sockets on this
// node (subscribe it to the bus).
func (s *Service) OnChange(c desk.Change) { s.hub.onChange(c) }

// Send is the outbox sender for web channels. A widget reads its messages
// from the store (and hears of them on its socket), so a web message is
// delivered once it is stored: there is nothing to call.
func (s *Service) Send(context.Context, store.Delivery) (string, error) { return "", nil }

// channel reads a web channel and its config; any other channel is not
// found, so a widget can never reach the API or WhatsApp channels.
func (s *Service) channel(ctx context.Context, id string) (desk.Channel, Config, error) {
	ch, err := s.store.GetChannel(ctx, id)
	if err != nil {
		return ch, Config{}, err
	}
	if ch.Type != desk.ChannelWeb {
		return desk.Channel{}, Config{}, desk.NotFound("channel")
	}
	cfg, err := ParseConfig(ch.Config)
	if err != nil {
		return ch, cfg, s.misconfig.Refuse(ch, err)
	}
	return ch, cfg, nil
}
