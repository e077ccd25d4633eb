// Package bridge is what every example bot bridge in examples/bots shares:
// it receives Relevo's signed webhooks (verifying, deduplicating and
// decoding them) and calls Relevo's API as the bot (replies and
// handovers). It uses only the standard library, so a bridge can be copied
// out of this repository together with it.
package bridge

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Event types Relevo POSTs to a bot's webhook_url.
const (
	// MessageCreated: the customer wrote while the bot owns the conversation.
	MessageCreated = "message.created"
	// Handover, Assigned, Transferred: people own the conversation; stay quiet.
	Handover    = "conversation.handover"
	Assigned    = "conversation.assigned"
	Transferred = "conversation.transferred"
	// Resolved: the conversation is closed; the customer's next message
	// opens a new one, owned by the bot again.
	Resolved = "conversation.resolved"
	// MessageOutbound: a message to the customer on an API channel, for
	// the integration to deliver (not sent on web and WhatsApp channels).
	MessageOutbound = "message.outbound"
)

// Event is the body of a webhook POST.
type Event struct {
	ID             string    `json:"id"`
	Type           string    `json:"type"`
	BotID          string    `json:"bot_id"`
	ConversationID string    `json:"conversation_id"`
	Phase          string    `json:"phase"`
	AssigneeID     *string   `json:"assignee_id"`
	TeamID         *string   `json:"team_id"`
	Message        *Message  `json:"message"`
	CreatedAt      time.Time `json:"created_at"`
}

// Message is the customer's message in a message.created event.
type Message struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Text   string `json:"text"`
	Author struct {
		Type string  `json:"type"`
		ID   *string `json:"id"`
		Name string  `json:"name"`
	} `json:"author"`
	Attachments []struct {
		Name string `json:"name"`
		Mime string `json:"mime"`
		URL  string `json:"url"`
	} `json:"attachments"`
	// Payload is the id of the quick reply the customer pressed.
	Payload string `json:"payload,omitempty"`
}

// Handler handles one event. An error makes the receiver answer 500, so
// Relevo delivers the event again later.
type Handler func(ctx context.Context, ev Event) error

// Receiver is the http.Handler for a bot's webhook_url. It refuses
// requests that are not signed with the bot's secret or whose timestamp is
// more than MaxSkew away (replays), and drops events it has already
// handled: delivery is at-least-once.
type Receiver struct {
	Secret  []byte
	Handle  Handler
	MaxSkew time.Duration // default 5 minutes
	Log     *slog.Logger

	mu   sync.Mutex
	seen map[string]time.Time
}

// Headers of every delivery.
const (
	HeaderEventID   = "X-Relevo-Event-Id"
	HeaderTimestamp = "X-Relevo-Timestamp"
	HeaderSignature = "X-Relevo-Signature"
)

// Verify reports whether sig ("sha256=" + hex) is the HMAC-SHA256 of
// "timestamp.body" under secret.
func Verify(secret []byte, timestamp int64, body []byte, sig string) bool {
	const scheme = "sha256="
	if len(sig) <= len(scheme) || sig[:len(scheme)] != scheme {
		return false
	}
	got, err := hex.DecodeString(sig[len(scheme):])
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(strconv.FormatInt(timestamp, 10) + "."))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	ts, _ := strconv.ParseInt(r.Header.Get(HeaderTimestamp), 10, 64)
	skew := rc.MaxSkew
	if skew <= 0 {
		skew = 5 * time.Minute
	}
	if d := time.Since(time.Unix(ts, 0)); d > skew || d < -skew {
		http.Error(w, "stale timestamp", http.StatusUnauthorized)
		return
	}
	if !Verify(rc.Secret, ts, body, r.Header.Get(HeaderSignature)) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	id := r.Header.Get(HeaderEventID)
	if rc.handled(id) {
		w.WriteHeader(http.StatusOK) // a repeat: already done
		return
	}
	var ev Event
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, "bad event", http.StatusBadRequest) // retrying cannot help
		return
	}
	if err := rc.Handle(r.Context(), ev); err != nil {
		rc.log().Warn("bridge: event failed; Relevo will retry", "event", id, "type", ev.Type, "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	rc.remember(id)
	w.WriteHeader(http.StatusOK)
}

// handled reports whether event id was handled in the last day. A bridge
// running on several machines would keep this in a shared store (Redis
// SET NX with a TTL); one process can keep it in memory.
func (rc *Receiver) handled(id string) bool {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	_, ok := rc.seen[id]
	return ok
}

func (rc *Receiver) remember(id string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.seen == nil {
		rc.seen = map[string]time.Time{}
	}
	now := time.Now()
	if len(rc.seen) > 100_000 {
		for k, t := range rc.seen {
			if now.Sub(t) > 24*time.Hour {
				delete(rc.seen, k)
			}
		}
	}
	rc.seen[id] = now
}

func (rc *Receiver) log() *slog.Logger {
	if rc.Log != nil {
		return rc.Log
	}
	return slog.Default()
}

// ErrNotBotsTurn is returned by Client calls Relevo refused because the
// conversation is no longer the bot's (handed over, taken, closed).
// Bridges drop the reply.
var ErrNotBotsTurn = errors.New("bridge: the conversation is no longer the bot's")

// IgnoreGone drops an error Relevo gave because people own the
// conversation now (the reply is moot); any other error is returned, so
// the handler fails and Relevo redelivers the event.
func IgnoreGone(err error) error {
	if errors.Is(err, ErrNotBotsTurn) {
		return nil
	}
	return err
}
