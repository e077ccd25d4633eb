package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/relevo/relevo/internal/channel/misconfig"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// Options configure a Service.
type Options struct {
	Store *store.Store
	// UploadDir is where fetched media is written (the uploads folder).
	UploadDir string
	// HTTP makes Graph API calls (default: 30 s timeout).
	HTTP *http.Client
	Log  *slog.Logger
	// MediaTimeout bounds fetching one inbound media file (default 20 s):
	// media is fetched before the webhook is answered, so this is also the
	// most one media message adds to the webhook's answer.
	MediaTimeout time.Duration
	// RecentStatus is how long after its timestamp a status for a message
	// Relevo does not know yet is answered 500, so Meta retries it once
	// the send that produced it has committed (default 2 minutes).
	RecentStatus time.Duration
}

// Service is the WhatsApp channel: webhook handler, outbox sender and
// template sync, for every WhatsApp channel of the store.
type Service struct {
	store        *store.Store
	uploads      string
	http         *http.Client
	log          *slog.Logger
	mediaTimeout time.Duration
	recent       time.Duration
	limits       *limiter
	// misconfig answers webhooks for channels whose stored config cannot
	// be used (admin routes show the validation error itself).
	misconfig *misconfig.Reporter
	// callsIgnored counts calls webhook events dropped (callsvc.go).
	callsIgnored atomic.Int64
}

// New builds the service.
func New(o Options) *Service {
	s := &Service{store: o.Store, uploads: o.UploadDir, http: o.HTTP, log: o.Log,
		mediaTimeout: o.MediaTimeout, recent: o.RecentStatus, limits: newLimiter()}
	if s.http == nil {
		s.http = &http.Client{Timeout: 30 * time.Second}
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.misconfig = misconfig.New(s.log)
	if s.mediaTimeout <= 0 {
		s.mediaTimeout = 20 * time.Second
	}
	if s.recent <= 0 {
		s.recent = 2 * time.Minute
	}
	return s
}

// channel reads a WhatsApp channel and its config.
func (s *Service) channel(ctx context.Context, id string) (desk.Channel, Config, error) {
	ch, err := s.store.GetChannel(ctx, id)
	if err != nil {
		return ch, Config{}, err
	}
	if ch.Type != desk.ChannelWhatsApp {
		return ch, Config{}, desk.NotFound("whatsapp channel")
	}
	cfg, err := ParseConfig(ch.Config)
	return ch, cfg, err
}

// maxGraphAnswer bounds a Graph API JSON answer.
const maxGraphAnswer = 1 << 20

// graphJSON sends in (nil: no body) as JSON to the Graph API and decodes
// the answer into out (nil: ignored).
func (s *Service) graphJSON(ctx context.Context, cfg Config, method, url string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("whatsapp: encode request: %w", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return fmt.Errorf("whatsapp: request: %w", err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return s.do(req, cfg, out)
}

// do sends req with the channel's token and reads a JSON answer: a Graph
// error envelope becomes *GraphError, no answer a transportError.
func (s *Service) do(req *http.Request, cfg Config, out any) error {
	req.Header.Set("Authorization", "Bearer "+cfg.AccessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := s.http.Do(req)
	if err != nil {
		return transportError{err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxGraphAnswer+1))
	if err != nil {
		return transportError{err}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return parseGraphError(resp.StatusCode, raw)
	}
	if len(raw) > maxGraphAnswer {
		return fmt.Errorf("whatsapp: the Graph API answer is larger than %d bytes", maxGraphAnswer)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("whatsapp: unexpected Graph API answer: %w", err)
	}
	return nil
}
