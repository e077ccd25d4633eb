package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/bot"
	"github.com/relevo/relevo/internal/bus"
	"github.com/relevo/relevo/internal/channel/api"
	webchat "github.com/relevo/relevo/internal/channel/web"
	"github.com/relevo/relevo/internal/channel/whatsapp"
	"github.com/relevo/relevo/internal/clock"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpapi"
	"github.com/relevo/relevo/internal/ice"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/webhook"
)

// Version is set at build time.
var Version = "dev"

// App is one running Relevo node.
type App struct {
	Config Config
	Log    *slog.Logger
	Clock  clock.Clock
	Store  *store.Store
	Bus    *bus.Bus
	Outbox *jobs.Outbox
	// Assigner drains the automatic queues (jobs/assigner.go).
	Assigner *jobs.Assigner
	Hub      *realtime.Hub
	Widget   *webchat.Service
	// ICE makes callers' ICE configurations (calls' STUN/TURN servers).
	ICE    *ice.Service
	Server *httpapi.Server

	ln          net.Listener
	unsubscribe func()
	// unsubscribeWidget stops the widget hub's bus subscription.
	unsubscribeWidget func()
	// unsubscribeAssigner stops the drainer's bus subscription.
	unsubscribeAssigner func()
	demoPage            *demoPage
	// relay is Relevo's TURN relay (nil: off).
	relay  *ice.Relay
	http   *http.Server
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Options adjust an App for tests.
type Options struct {
	Clock clock.Clock
	Log   *slog.Logger
	// Senders replaces channel senders by type (tests hold delivery back).
	Senders map[desk.ChannelType]jobs.Sender
	// WrapPublish wraps the bus publisher (tests inject faults).
	WrapPublish func(func([]desk.Change)) func([]desk.Change)
	// CallGrace shortens how long a party's last socket may be gone
	// before its call ends (tests; default desk.CallPartyGrace).
	CallGrace time.Duration
	// Heartbeat is the socket hub's presence heartbeat (tests; default 20 s).
	Heartbeat time.Duration
}

// New opens the store and the bus and builds the server, without
// listening yet.
func New(ctx context.Context, cfg Config, opt Options) (*App, error) {
	a := &App{Config: cfg, Log: opt.Log, Clock: opt.Clock}
	if a.Log == nil {
		a.Log = slog.Default()
	}
	if a.Clock == nil {
		a.Clock = clock.System{}
	}
	var err error
	if a.Bus, err = bus.Open(cfg.NATSURL, a.Log); err != nil {
		return nil, err
	}
	a.Outbox = &jobs.Outbox{Log: a.Log}
	notices, err := a.Bus.WatchSettings()
	if err != nil {
		a.Bus.Close()
		return nil, err
	}
	publish := a.Bus.Publish
	if opt.WrapPublish != nil {
		publish = opt.WrapPublish(publish)
	}
	a.Store, err = store.Open(ctx, store.Options{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, Clock: a.Clock,
		LockMax: cfg.LockMax, Synchronous: cfg.SQLiteSync, OnCommit: publish, OnOutbox: a.Outbox.Kick, Notices: notices})
	if err != nil {
		a.Bus.Close()
		return nil, err
	}
	poster := webhook.Poster{Now: a.Clock.Now}
	waOpts := whatsapp.Options{Store: a.Store, UploadDir: filepath.Join(cfg.DataDir, "uploads"), Log: a.Log}
	if cfg.Demo {
		// The demo's WhatsApp channel reaches an in-process Graph stand-in
		// (demo_graph.go); every other host goes out as usual.
		waOpts.HTTP = &http.Client{Timeout: 30 * time.Second,
			Transport: demoTransport{graph: &demoGraph{}, next: http.DefaultTransport}}
	}
	wa := whatsapp.New(waOpts)
	a.ICE = &ice.Service{Settings: a.Store.ICESettings, Now: a.Clock.Now}
	a.Widget = webchat.New(webchat.Options{Store: a.Store, Publish: publish, Log: a.Log, Files: widgetFiles(),
		PublicURL: cfg.PublicURL, UploadDir: filepath.Join(cfg.DataDir, "uploads"),
		MessageRate: float64(cfg.WidgetRate), MessageBurst: cfg.WidgetBurst, ICE: a.ICE, CallGrace: opt.CallGrace})
	senders := map[desk.ChannelType]jobs.Sender{desk.ChannelAPI: api.Sender{Poster: poster}, desk.ChannelWhatsApp: wa, desk.ChannelWeb: a.Widget}
	for t, s := range opt.Senders {
		senders[t] = s
	}
	a.Outbox.Store = a.Store
	a.Outbox.Routes = jobs.Routes{Channels: senders, BotEvent: bot.EventSender{Poster: poster, Store: a.Store},
		Flow: bot.FlowRunner{Store: a.Store, Log: a.Log}, WhatsAppCall: wa.CallSender()}
	reg := prometheus.NewRegistry()
	a.Hub = realtime.New(realtime.Options{Store: a.Store, Publish: publish, Log: a.Log, Clock: a.Clock,
		OriginPatterns: originPatterns(cfg.PublicURL), Registry: reg, WhatsAppCalls: wa, CallGrace: opt.CallGrace, Heartbeat: opt.Heartbeat})
	if a.unsubscribe, err = a.Bus.Subscribe(a.Hub.OnChange); err != nil {
		a.Close()
		return nil, err
	}
	if a.unsubscribeWidget, err = a.Bus.Subscribe(a.Widget.OnChange); err != nil {
		a.Close()
		return nil, err
	}
	a.Assigner = &jobs.Assigner{Store: a.Store, Log: a.Log}
	if a.unsubscribeAssigner, err = a.Bus.Subscribe(a.Assigner.OnChange); err != nil {
		a.Close()
		return nil, err
	}
	hash := func(pw string) (string, error) { return auth.HashPassword(pw, auth.DefaultParams) }
	if cfg.FastHashing {
		hash = func(pw string) (string, error) { return auth.HashPassword(pw, auth.FastParams) }
	}
	a.Server, err = httpapi.New(httpapi.Config{Version: Version, Demo: cfg.Demo, PublicURL: strings.TrimSuffix(cfg.PublicURL, "/"), UploadDir: filepath.Join(cfg.DataDir, "uploads"), HashPassword: hash,
		TokenRate: float64(cfg.TokenRate), TokenBurst: cfg.TokenBurst},
		httpapi.Deps{Store: a.Store, Log: a.Log, Ready: a.ready, Registry: reg, Sockets: a.Hub, WhatsApp: wa, Widget: a.Widget, ICE: a.ICE, Webhook: poster, Extra: a.extraRoutes()})
	if err != nil {
		a.Close()
		return nil, err
	}
	if err := a.bootstrap(ctx, hash); err != nil {
		a.Close()
		return nil, err
	}
	if a.demoPage != nil {
		if err := a.demoPage.find(ctx, a.Store); err != nil {
			a.Close()
			return nil, err
		}
	}
	return a, nil
}

func (a *App) ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return errors.Join(a.Store.Ping(ctx), a.Bus.Ping(ctx))
}

// Start listens on the configured address and starts the workers.
func (a *App) Start() error {
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("app: listen: %w", err)
	}
	a.ln = ln
	if err := a.startRelay(); err != nil {
		_ = ln.Close()
		return fmt.Errorf("app: turn relay: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	a.http = &http.Server{Handler: a.Server, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10, ErrorLog: slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn)}
	a.Hub.Run()
	a.wg.Add(4)
	go func() { defer a.wg.Done(); _ = a.http.Serve(ln) }()
	go func() { defer a.wg.Done(); a.Outbox.Run(ctx) }()
	go func() { defer a.wg.Done(); (&jobs.Sweeper{Store: a.Store, Log: a.Log}).Run(ctx) }()
	go func() { defer a.wg.Done(); a.Assigner.Run(ctx) }()
	return nil
}

// URL is where the server listens (after Start).
func (a *App) URL() string { return "http://" + a.ln.Addr().String() }

// Close stops serving, lets in-flight requests and deliveries finish, and
// releases the store and the bus.
func (a *App) Close() error {
	if a.Hub != nil {
		a.Hub.Close() // sockets first: "going away" tells clients to reconnect
	}
	if a.Widget != nil {
		a.Widget.Close()
	}
	if a.unsubscribe != nil {
		a.unsubscribe()
	}
	if a.unsubscribeWidget != nil {
		a.unsubscribeWidget()
	}
	if a.unsubscribeAssigner != nil {
		a.unsubscribeAssigner()
	}
	if a.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = a.http.Shutdown(ctx)
		cancel()
	}
	if a.cancel != nil {
		a.cancel()
	}
	a.wg.Wait()
	if a.relay != nil {
		_ = a.relay.Close()
	}
	var err error
	if a.Store != nil {
		err = a.Store.Close()
	}
	if a.Bus != nil {
		a.Bus.Close()
	}
	return err
}

// Run starts the app and blocks until ctx ends.
func Run(ctx context.Context, cfg Config) error {
	a, err := New(ctx, cfg, Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Start(); err != nil {
		return err
	}
	a.Log.Info("relevo serving", "url", a.URL(), "store", a.Store.Dialect(), "version", Version)
	if cfg.Demo {
		a.printDemo()
	}
	<-ctx.Done()
	a.Log.Info("relevo shutting down")
	return nil
}

// originPatterns allows sockets from the public URL's host (the request's
// own host is always allowed).
func originPatterns(publicURL string) []string {
	u, err := url.Parse(publicURL)
	if err != nil || u.Host == "" {
		return nil
	}
	return []string{u.Host}
}
