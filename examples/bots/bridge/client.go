package bridge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

// Button is a quick reply offered with a message: the customer sees Title
// and Relevo hands ID back as the next message's payload.
type Button struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Reply is a message from the bot to the customer.
type Reply struct {
	Text    string   `json:"text"`
	Buttons []Button `json:"buttons,omitempty"`
	// ClientID makes the send idempotent: derive it from the event id, so
	// a redelivered event does not send twice.
	ClientID string `json:"client_id,omitempty"`
}

// Client calls Relevo's API with a bot token.
type Client struct {
	BaseURL string
	Token   string
	HTTP    *http.Client
}

// Reply sends r to the customer of conversation convID.
func (c *Client) Reply(ctx context.Context, convID string, r Reply) error {
	r.Buttons = FitButtons(r.Buttons)
	return c.post(ctx, "/api/v1/conversations/"+convID+"/messages", r)
}

// Handover queues the conversation for people, optionally for a team and
// with a note for the agent.
func (c *Client) Handover(ctx context.Context, convID, teamID, note string) error {
	return c.post(ctx, "/api/v1/conversations/"+convID+"/handover", map[string]string{"team_id": teamID, "note": note})
}

func (c *Client) post(ctx context.Context, path string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.BaseURL, "/")+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Content-Type", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	res, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("relevo: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode < 300 {
		_, _ = io.Copy(io.Discard, res.Body)
		return nil
	}
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.NewDecoder(io.LimitReader(res.Body, 64<<10)).Decode(&e)
	if e.Error.Code == "invalid_phase" || e.Error.Code == "not_found" {
		return ErrNotBotsTurn
	}
	return fmt.Errorf("relevo: %s answered %d %s: %s", path, res.StatusCode, e.Error.Code, e.Error.Message)
}

// FitButtons trims quick replies to what every Relevo channel carries: at
// most 10, titles of at most 24 characters, ids of at most 200 bytes.
func FitButtons(bs []Button) []Button {
	if len(bs) > 10 {
		bs = bs[:10]
	}
	out := make([]Button, 0, len(bs))
	for _, b := range bs {
		if utf8.RuneCountInString(b.Title) > 24 {
			b.Title = string([]rune(b.Title)[:23]) + "…"
		}
		if b.ID == "" {
			b.ID = b.Title
		}
		if len(b.ID) > 200 || strings.TrimSpace(b.Title) == "" {
			continue
		}
		out = append(out, b)
	}
	return out
}

// Flags are the settings every bridge has, from flags or RELEVO_
// environment variables.
type Flags struct {
	Listen    string
	RelevoURL string
	Token     string
	Secret    string
}

// Register adds the common flags to fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	env := func(name, def string) string {
		if v := os.Getenv(name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&f.Listen, "listen", env("BRIDGE_LISTEN", "127.0.0.1:8090"), "address for Relevo's webhook (set the bot's webhook_url to http://<this>/relevo)")
	fs.StringVar(&f.RelevoURL, "relevo-url", env("RELEVO_URL", "http://127.0.0.1:8080"), "Relevo's base URL")
	fs.StringVar(&f.Token, "token", env("RELEVO_TOKEN", ""), "the bot's API token (POST /api/v1/tokens with its bot_id)")
	fs.StringVar(&f.Secret, "secret", env("RELEVO_WEBHOOK_SECRET", ""), "the bot's webhook_secret (answered when the bot is made or the secret rotated: POST /api/v1/bots/{id}/webhook/secret)")
}

// Check reports a missing setting.
func (f *Flags) Check() error {
	if f.Token == "" || f.Secret == "" {
		return errors.New("bridge: -token and -secret are required")
	}
	return nil
}

// Client is the Relevo client these flags describe.
func (f *Flags) Client() *Client { return &Client{BaseURL: f.RelevoURL, Token: f.Token} }

// Serve serves mux on addr until SIGINT or SIGTERM, then shuts down
// gracefully (events being handled finish; Relevo retries the rest).
func Serve(addr string, mux http.Handler, log *slog.Logger) error {
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("bridge listening", "addr", addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// PostJSON posts body to url and decodes the answer into out; headers
// are set on the request. A non-2xx answer is an error.
func PostJSON(ctx context.Context, hc *http.Client, url string, headers map[string]string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return err
	}
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s answered %d: %.200s", url, res.StatusCode, data)
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	return json.Unmarshal(data, out)
}
