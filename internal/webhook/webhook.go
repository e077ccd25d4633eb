// Package webhook POSTs signed JSON to the URLs bots and integrations give
// Relevo. Every request carries an event id (receivers deduplicate on it:
// delivery is at-least-once), a timestamp, and an HMAC-SHA256 signature over
// "timestamp.body" with the bot's secret, so a receiver can verify it came
// from Relevo and is fresh.
package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/jobs"
)

// Headers set on every delivery.
const (
	HeaderEventID   = "X-Relevo-Event-Id"
	HeaderTimestamp = "X-Relevo-Timestamp"
	HeaderSignature = "X-Relevo-Signature"
)

// Poster sends signed webhooks.
type Poster struct {
	HTTP *http.Client
	Now  func() time.Time
}

// Post delivers body to url. A 2xx is success; 4xx other than 408 and 429
// is permanent (retrying sends the same bad request); anything else is
// retried by the outbox.
func (p Poster) Post(ctx context.Context, url string, secret []byte, eventID string, body []byte) error {
	client := p.HTTP
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return jobs.Permanent(fmt.Errorf("webhook: %w", err))
	}
	ts := now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Relevo-Webhook/1")
	req.Header.Set(HeaderEventID, eventID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, auth.Sign(secret, ts, body))
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("webhook: receiver answered %d", resp.StatusCode)
	}
	return jobs.Permanent(fmt.Errorf("webhook: receiver refused with %d", resp.StatusCode))
}
