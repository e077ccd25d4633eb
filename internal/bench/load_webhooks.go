package bench

// `relevo bench webhooks`: WhatsApp Cloud API notifications as Meta sends
// them, signed with the channel's app secret, to a WhatsApp channel whose
// Graph API is a local stand-in, so the bot's replies never leave the
// machine.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/channel/whatsapp"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime/rtclient"
)

// The bench's own WhatsApp channel: ids in Graph's format (digits), a
// secret made for the run.
const (
	benchPhoneID = "109000000000001"
	benchWABAID  = "209000000000001"
	benchGraphV  = "/v21.0"
)

// waChannelConfig is the config of the bench's WhatsApp channel (the keys
// of docs/whatsapp.md).
type waChannelConfig struct {
	PhoneNumberID string `json:"phone_number_id"`
	WABAID        string `json:"waba_id"`
	AccessToken   string `json:"access_token"`
	AppSecret     string `json:"app_secret"`
	VerifyToken   string `json:"verify_token"`
	GraphURL      string `json:"graph_url"`
}

// notification is Meta's "messages" webhook for one customer text message,
// field for field as Meta sends it (internal/channel/whatsapp/testdata/
// text.json is one); the values are JSON strings in order: WABA id,
// phone number id, the customer's name, wa_id twice, wamid, timestamp, text.
const notification = `{"object":"whatsapp_business_account","entry":[{"id":%s,"changes":[{"value":{` +
	`"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000001","phone_number_id":%s},` +
	`"contacts":[{"profile":{"name":%s},"wa_id":%s}],` +
	`"messages":[{"from":%s,"id":%s,"timestamp":%s,"type":"text","text":{"body":%s}}]},"field":"messages"}]}]}`

// webhookBody is a text message of customer waID to the number phoneID.
func webhookBody(waba, phoneID, waID, wamid, text string) []byte {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	return []byte(fmt.Sprintf(notification, q(waba), q(phoneID), q("Customer "+waID[len(waID)-4:]), q(waID), q(waID), q(wamid),
		q(strconv.FormatInt(time.Now().Unix(), 10)), q(text)))
}

// webhookPoster signs and posts notifications to one channel's webhook.
type webhookPoster struct {
	http                 *http.Client
	url                  string // base + /webhooks/whatsapp/{channel}
	secret, waba, number string
	contacts             int
	run                  string
}

func (p webhookPoster) post(ctx context.Context, i int) error {
	waID := fmt.Sprintf("1650%07d", i%p.contacts)
	body := webhookBody(p.waba, p.number, waID, "wamid.BENCH"+p.run+strconv.Itoa(i), messageText(i))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", whatsapp.Sign(p.secret, body))
	resp, err := p.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		return &rtclient.APIError{Status: resp.StatusCode, Code: e.Error.Code, Body: string(data)}
	}
	return nil
}

// runWebhooks is `relevo bench webhooks`.
func runWebhooks(ctx context.Context, args []string, out io.Writer) error {
	var c fanoutConfig
	var bare bool
	fs := loadFlags("webhooks", "webhooks a second, each a customer's text message", "a WhatsApp channel", &c, &bare)
	contacts := fs.Int("contacts", 100, "customers writing (one conversation each); message i comes from customer i mod contacts")
	secret := fs.String("app-secret", "", "the secret the webhooks are signed with: with -url the channel's app_secret "+
		"(env RELEVO_BENCH_APP_SECRET); on the bench's own node, any other value sends wrongly signed webhooks (all refused)")
	number := fs.String("phone-number-id", "", "with -url: the channel's phone_number_id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.checkLoad(); err != nil {
		return err
	}
	if *contacts < 1 || *contacts > 10_000_000 {
		return errors.New("-contacts must be 1..10000000")
	}
	fmt.Fprintf(out, "relevo-bench webhooks: %s\n", machine())
	raiseFileLimit(uint64(2*c.sockets + 2*c.senders + 1000))
	p := webhookPoster{http: loadHTTP(c.senders), contacts: *contacts, run: strings.TrimPrefix(uniq(), "bench-")}
	var t fanoutTarget
	var count func() (int, error)
	name := "relevo at " + c.url
	if c.url != "" {
		p.secret = cmp(*secret, os.Getenv("RELEVO_BENCH_APP_SECRET"))
		if p.secret == "" || *number == "" {
			return errors.New("-url needs -app-secret (or RELEVO_BENCH_APP_SECRET) and -phone-number-id for webhooks")
		}
		p.url, p.waba, p.number = c.url+"/webhooks/whatsapp/"+c.channel, benchWABAID, *number
		t = fanoutTarget{base: c.url, emails: repeat(c.email, c.sockets), password: c.password}
	} else {
		graph, err := startFakeGraph()
		if err != nil {
			return err
		}
		defer graph.close()
		n, err := newNode(ctx, app.Options{}, c.databaseURL)
		if err != nil {
			return err
		}
		defer n.close()
		channelSecret := "bench-app-secret-" + p.run
		ch, err := n.whatsappChannel(ctx, graph, channelSecret)
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
		p.secret, p.url, p.waba, p.number = cmp(*secret, channelSecret), n.url()+"/webhooks/whatsapp/"+ch.ID, benchWABAID, benchPhoneID
		t = fanoutTarget{base: n.url(), emails: emails}
		count = func() (int, error) { return storedCustomerMessages(ctx, n.app.Store, ch.ID) }
		name = "relevo (SQLite)"
		if c.databaseURL != "" {
			name = "relevo (PostgreSQL)"
		}
		defer func() { fmt.Fprintf(out, "fake Graph API: %d sends of the bot answered\n", graph.sends.Load()) }()
	}
	t.name, t.post = name+", WhatsApp webhooks", p.post
	r, err := runFanout(ctx, t, c)
	if err != nil {
		return err
	}
	rep := loadReport{stored: -1, title: fmt.Sprintf("%s: %d webhooks/s for %v (after %v warm-up) from %d customers, %d agent sockets, %d senders",
		t.name, c.rate, c.duration, c.warmup, *contacts, c.sockets, c.senders),
		rows: []row{
			{name: "POST → 200 (webhook stored)", d: r.http, limit: map[string]time.Duration{"p99": 50 * time.Millisecond}},
			{name: "POST → first agent socket", d: r.sendFirst},
			{name: "POST → last agent socket", d: r.sendLast},
		}}
	return finishLoad(ctx, out, r, c, rep, count, bare)
}

// whatsappChannel adds a WhatsApp channel of the node's bot whose Graph
// API is g, its webhooks signed with secret.
func (n *node) whatsappChannel(ctx context.Context, g *fakeGraph, secret string) (desk.Channel, error) {
	cfg, _ := json.Marshal(waChannelConfig{PhoneNumberID: benchPhoneID, WABAID: benchWABAID, AccessToken: fakeGraphToken,
		AppSecret: secret, VerifyToken: "bench-verify", GraphURL: g.url() + benchGraphV})
	ch, err := n.app.Store.CreateChannel(ctx, desk.Channel{BotID: n.bot.ID, Type: desk.ChannelWhatsApp, Name: "bench whatsapp", Config: cfg})
	if err != nil {
		return ch, fmt.Errorf("whatsapp channel: %w", err)
	}
	return ch, nil
}

// loadHTTP is a client with room for every sender's connection.
func loadHTTP(senders int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost, tr.MaxIdleConns = senders, senders
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// fakeGraphToken is the stand-in's access token.
const fakeGraphToken = "bench-graph-token"

// fakeGraph answers the bot's sends as Graph does (POST
// /{phone-number-id}/messages → a wamid) and every other call with
// Graph's error envelope.
type fakeGraph struct {
	srv   *http.Server
	ln    net.Listener
	sends atomic.Int64
}

type graphSendRequest struct {
	Product string `json:"messaging_product"`
	To      string `json:"to"`
}

func startFakeGraph() (*fakeGraph, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	g := &fakeGraph{ln: ln}
	g.srv = &http.Server{Handler: g, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = g.srv.Serve(ln) }()
	return g, nil
}

func (g *fakeGraph) url() string { return "http://" + g.ln.Addr().String() }

func (g *fakeGraph) close() { _ = g.srv.Close() }

func (g *fakeGraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	var in graphSendRequest
	if r.Method != http.MethodPost || r.URL.Path != benchGraphV+"/"+benchPhoneID+"/messages" ||
		r.Header.Get("Authorization") != "Bearer "+fakeGraphToken ||
		json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in) != nil || in.Product != "whatsapp" || in.To == "" {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100}}`)
		return
	}
	to, _ := json.Marshal(in.To)
	_, _ = fmt.Fprintf(w, `{"messaging_product":"whatsapp","contacts":[{"input":%s,"wa_id":%s}],"messages":[{"id":"wamid.BENCHOUT%010d"}]}`,
		to, to, g.sends.Add(1))
}
