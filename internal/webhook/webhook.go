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

// BodyKept is how much of a receiver's answer Result keeps: enough for
// the first lines of an error page, never a whole download.
const BodyKept = 500

// Poster sends signed webhooks.
type Poster struct {
	HTTP *http.Client
	Now  func() time.Time
}

// Result is what one POST met: the receiver's status and the start of its
// body, or, when no answer came, the kind of failure (ErrorKind); and how
// long it took. It never holds the secret or the signature.
type Result struct {
	Status    int
	ErrorKind string
	Body      []byte
	Latency   time.Duration
}

// Post delivers body to url. A 2xx is success; 4xx other than 408 and 429
// is permanent (retrying sends the same bad request); anything else is
// retried by the outbox.
func (p Poster) Post(ctx context.Context, url string, secret []byte, eventID string, body []byte) error {
	_, err := p.PostResult(ctx, url, secret, eventID, body)
	return err
}

// PostResult is Post, also answering what the receiver did, for the bot's
// delivery log.
func (p Poster) PostResult(ctx context.Context, url string, secret []byte, eventID string, body []byte) (Result, error) {
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
		return Result{ErrorKind: KindInvalidURL}, jobs.Permanent(fmt.Errorf("webhook: %w", err))
	}
	ts := now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Relevo-Webhook/1")
	req.Header.Set(HeaderEventID, eventID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, auth.Sign(secret, ts, body))
	// Latency is measured on the wall clock, not p.Now: a test's fake
	// clock does not move while the receiver works.
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return Result{ErrorKind: ErrorKind(err), Latency: time.Since(start)}, fmt.Errorf("webhook: %w", err)
	}
	kept, _ := io.ReadAll(io.LimitReader(resp.Body, BodyKept))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	res := Result{Status: resp.StatusCode, Body: kept, Latency: time.Since(start)}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return res, nil
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return res, fmt.Errorf("webhook: receiver answered %d", resp.StatusCode)
	}
	return res, jobs.Permanent(fmt.Errorf("webhook: receiver refused with %d", resp.StatusCode))
}
