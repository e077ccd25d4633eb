// Package misconfig is how channels answer for a stored config they cannot
// use (one saved before the config checks, or edited in the database):
// the public routes say so with 503 channel_misconfigured and nothing
// about the config itself, which holds secrets and origins, and the
// problem is logged once for the admin rather than on every request.
package misconfig

import (
	"crypto/sha256"
	"log/slog"
	"sync"

	"github.com/relevo/relevo/internal/desk"
)

// maxSeen bounds the memory of what was logged; past it the memory starts
// over (a few repeated log lines, never unbounded growth).
const maxSeen = 10_000

// Reporter logs each bad config once.
type Reporter struct {
	log  *slog.Logger
	mu   sync.Mutex
	seen map[[sha256.Size]byte]bool
}

// New makes a Reporter writing to log.
func New(log *slog.Logger) *Reporter {
	return &Reporter{log: log, seen: map[[sha256.Size]byte]bool{}}
}

// Refuse logs why ch's config cannot be used, the first time this channel
// has this config, and returns the error its public routes answer.
func (r *Reporter) Refuse(ch desk.Channel, err error) *desk.Error {
	key := sha256.Sum256([]byte(ch.ID + "\x00" + string(ch.Config)))
	r.mu.Lock()
	first := !r.seen[key]
	if first {
		if len(r.seen) >= maxSeen {
			clear(r.seen)
		}
		r.seen[key] = true
	}
	r.mu.Unlock()
	if first {
		r.log.Error("channel config cannot be used: fix it in the channel settings", "channel", ch.ID, "type", ch.Type, "problem", err)
	}
	return desk.Errorf(desk.CodeChannelMisconfigured, "this channel is not configured correctly (the server log says why)")
}
