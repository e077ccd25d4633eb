package bench

// `relevo bench widget`: web widget visitors, each with its own session
// (POST /widget/v1/sessions) and socket (/widget/v1/ws), writing through
// POST /widget/v1/messages at a total rate; agents see the messages on
// their sockets, each visitor on its own.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/widgetapi"
)

// sessionsPerAddress is how many visitors share one loopback source
// address: under the widget's limit of new sessions per client address
// (10 a minute), so that many visitors can start at once as from
// different machines.
const sessionsPerAddress = 8

// visitor is one widget session and its socket.
type visitor struct {
	token string
	api   *rtclient.Client // Bearer token, for POST /widget/v1/messages
	conn  *websocket.Conn
}

// runWidget is `relevo bench widget`.
func runWidget(ctx context.Context, args []string, out io.Writer) error {
	var c fanoutConfig
	var bare bool
	fs := loadFlags("widget", "visitor messages a second in all, through POST /widget/v1/messages", "a web channel", &c, &bare)
	visitors := fs.Int("visitors", 500, "widget sessions, each with its own socket; message i is written by visitor i mod visitors")
	wrate := fs.Int("widget-rate", 0, "the bench's own node: messages a second each visitor may send (relevo serve --widget-rate); 0: twice each visitor's share of -rate")
	wburst := fs.Int("widget-burst", 20, "the bench's own node: messages at once each visitor may send (relevo serve --widget-burst)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.checkLoad(); err != nil {
		return err
	}
	if *wrate == 0 {
		*wrate = max(2, int(math.Ceil(2*float64(c.rate)/float64(max(*visitors, 1)))))
	}
	switch {
	case *visitors < 1 || *visitors > 20_000:
		return errors.New("-visitors must be 1..20000")
	case *wrate < desk.MinRate || *wrate > desk.MaxRate || *wburst < 1 || *wburst > desk.MaxBurst:
		return fmt.Errorf("-widget-rate must be %d..%d, -widget-burst 1..%d", desk.MinRate, desk.MaxRate, desk.MaxBurst)
	}
	fmt.Fprintf(out, "relevo-bench widget: %s\n", machine())
	raiseFileLimit(uint64(2*c.sockets + 2*(*visitors) + 2*c.senders + 1000))
	var t fanoutTarget
	var count func() (int, error)
	base, limits := c.url, "the server's own --widget-rate/--widget-burst"
	if c.url == "" {
		n, err := newNodeWith(ctx, app.Options{}, c.databaseURL, func(cfg *app.Config) { cfg.WidgetRate, cfg.WidgetBurst = *wrate, *wburst })
		if err != nil {
			return err
		}
		defer n.close()
		ch, err := n.webChannel(ctx)
		if err != nil {
			return err
		}
		emails, err := n.users(ctx, "agent", c.sockets, desk.RoleAgent)
		if err != nil {
			return err
		}
		if err := n.start(); err != nil {
			return err
		}
		base, c.channel = n.url(), ch.ID
		t = fanoutTarget{base: base, emails: emails, name: "relevo (SQLite)"}
		if c.databaseURL != "" {
			t.name = "relevo (PostgreSQL)"
		}
		count = func() (int, error) { return storedCustomerMessages(ctx, n.app.Store, ch.ID) }
		limits = fmt.Sprintf("--widget-rate %d --widget-burst %d", *wrate, *wburst)
	} else {
		t = fanoutTarget{base: base, emails: repeat(c.email, c.sockets), password: c.password, name: "relevo at " + c.url}
	}
	vs, err := startVisitors(ctx, base, c.channel, *visitors, c.senders)
	if err != nil {
		return err
	}
	defer func() {
		for _, v := range vs {
			_ = v.conn.CloseNow()
		}
	}()
	w := newWidgetWatch(vs, int(float64(c.rate)*(c.warmup+c.duration).Seconds()))
	run := uniq()
	t.name += ", web widget"
	t.post = func(ctx context.Context, i int) error {
		v := vs[i%len(vs)]
		w.sent[i].Store(time.Now().UnixNano())
		var m widgetapi.WidgetMessage
		err := v.api.Do(ctx, "POST", "/widget/v1/messages", widgetapi.WidgetSendRequest{ID: run + "-" + strconv.Itoa(i), Text: messageText(i)}, &m)
		if err == nil {
			w.ok[i].Store(true)
		}
		return err
	}
	r, err := runFanout(ctx, t, c)
	if err != nil {
		return err
	}
	skip := int(float64(c.rate) * c.warmup.Seconds())
	visitorLat, visitorMissed := w.wait(skip, c.drain)
	rep := loadReport{stored: -1, title: fmt.Sprintf("%s: %d visitors writing %d msg/s in all for %v (after %v warm-up), %d agent sockets, %d senders, per visitor %s",
		t.name, len(vs), c.rate, c.duration, c.warmup, c.sockets, c.senders, limits),
		rows: []row{
			{name: "POST → 2xx (message stored)", d: r.http, limit: map[string]time.Duration{"p99": 100 * time.Millisecond}},
			{name: "POST → first agent socket", d: r.sendFirst},
			{name: "POST → the visitor's own socket", d: visitorLat},
		},
		extra: []string{fmt.Sprintf("messages the visitor's socket missed: %d", visitorMissed)}}
	if r.kinds["HTTP 429 "+string(desk.CodeRateLimited)] > 0 {
		rep.extra = append(rep.extra, "429 seen: each visitor's limit ("+limits+") is below its share of -rate; raise it "+
			"(relevo serve --widget-rate/--widget-burst, or RELEVO_WIDGET_RATE/RELEVO_WIDGET_BURST; the bench's own node: -widget-rate/-widget-burst)")
	}
	return finishLoad(ctx, out, r, c, rep, count, bare)
}

// webChannel adds a web channel of the node's bot, open to every site.
func (n *node) webChannel(ctx context.Context) (desk.Channel, error) {
	ch, err := n.app.Store.CreateChannel(ctx, desk.Channel{BotID: n.bot.ID, Type: desk.ChannelWeb, Name: "bench widget", Config: json.RawMessage(`{}`)})
	if err != nil {
		return ch, fmt.Errorf("web channel: %w", err)
	}
	return ch, nil
}

// startVisitors opens n sessions and their sockets, workers at a time.
// Sessions to a loopback server come from loopback addresses of their own
// (sessionsPerAddress each), as visitors come from their own machines.
func startVisitors(ctx context.Context, base, channelID string, n, workers int) ([]*visitor, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	ip := net.ParseIP(u.Hostname())
	spread := u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback() && ip.To4() != nil)
	messages := loadHTTP(workers)
	out := make([]*visitor, n)
	var next atomic.Int64
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for range min(workers, 16, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				v, err := startVisitor(ctx, base, channelID, sessionClient(spread, i), messages)
				if err != nil {
					mu.Lock()
					firstErr = errors.Join(firstErr, fmt.Errorf("visitor %d: %w", i, err))
					mu.Unlock()
					return
				}
				out[i] = v
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		for _, v := range out {
			if v != nil {
				_ = v.conn.CloseNow()
			}
		}
		if strings.Contains(firstErr.Error(), "429") {
			firstErr = fmt.Errorf("%w\n(new widget sessions are limited per client address, 10 a minute: run the bench on the server's machine, "+
				"where visitors come from loopback addresses of their own, or with fewer -visitors)", firstErr)
		}
		return nil, firstErr
	}
	return out, nil
}

// sessionClient is visitor i's client for POST /widget/v1/sessions.
func sessionClient(spread bool, i int) *http.Client {
	if !spread {
		return http.DefaultClient
	}
	k := i/sessionsPerAddress + 2 // 127.0.0.2 on
	src := &net.TCPAddr{IP: net.IPv4(127, byte(k>>16), byte(k>>8), byte(k))}
	tr := &http.Transport{DialContext: (&net.Dialer{LocalAddr: src, Timeout: 10 * time.Second}).DialContext, DisableKeepAlives: true}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

func startVisitor(ctx context.Context, base, channelID string, sessions, messages *http.Client) (*visitor, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var s widgetapi.WidgetSessionResponse
	anon := &rtclient.Client{Base: base, HTTP: sessions}
	if err := anon.Do(ctx, "POST", "/widget/v1/sessions", widgetapi.WidgetSessionRequest{ChannelID: channelID}, &s); err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	v := &visitor{token: s.Token, api: &rtclient.Client{Base: base, HTTP: &http.Client{Transport: bearer{s.Token, messages.Transport}, Timeout: 30 * time.Second}}}
	ws := "ws" + strings.TrimPrefix(base, "http") + "/widget/v1/ws?token=" + url.QueryEscape(s.Token)
	h := http.Header{}
	h.Set("Origin", base)
	conn, _, err := websocket.Dial(ctx, ws, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	conn.SetReadLimit(1 << 20)
	v.conn = conn
	return v, nil
}

// widgetWatch reads every visitor's socket and times each message from
// its POST to its arrival there.
type widgetWatch struct {
	sent    []atomic.Int64 // Unix ns the POST started
	ok      []atomic.Bool  // answered 2xx
	arrived []atomic.Int64 // Unix ns it reached its visitor's socket
	readers sync.WaitGroup
}

func newWidgetWatch(vs []*visitor, n int) *widgetWatch {
	w := &widgetWatch{sent: make([]atomic.Int64, n), ok: make([]atomic.Bool, n), arrived: make([]atomic.Int64, n)}
	for _, v := range vs {
		w.readers.Add(1)
		go func() {
			defer w.readers.Done()
			for {
				_, b, err := v.conn.Read(context.Background())
				if err != nil {
					return
				}
				if i := messageIndex(b); i >= 0 && i < n {
					w.arrived[i].CompareAndSwap(0, time.Now().UnixNano())
				}
			}
		}()
	}
	return w
}

// wait gives the visitors' frames up to drain to arrive, then returns the
// latencies of the measured messages (from skip on) and how many a
// visitor's socket never got.
func (w *widgetWatch) wait(skip int, drain time.Duration) ([]time.Duration, int) {
	for deadline := time.Now().Add(drain); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		done := true
		for i := range w.ok {
			if w.ok[i].Load() && w.arrived[i].Load() == 0 {
				done = false
				break
			}
		}
		if done {
			break
		}
	}
	var d []time.Duration
	missed := 0
	for i := skip; i < len(w.ok); i++ {
		if !w.ok[i].Load() {
			continue
		}
		if a := w.arrived[i].Load(); a != 0 {
			d = append(d, time.Duration(a-w.sent[i].Load()))
		} else {
			missed++
		}
	}
	return d, missed
}
