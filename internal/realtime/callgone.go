package realtime

import (
	"time"
)

// An agent going away ends its calls (docs/realtime.md, "A party goes
// away"), with the mechanism that already keeps a call alive: every node
// renews the live calls of the agents it holds sockets of (heartbeat,
// store.KeepCallsAlive), and renews them at once when an agent's first
// socket connects. When the agent's last socket here closes, a timer waits
// the grace, and at least one heartbeat and a margin, so that a node still
// holding one of the agent's tabs has renewed them meanwhile; then the
// store ends those not renewed since the socket closed (hangup_agent while
// talking, cancelled or missed while ringing), on whichever node they are.

// goneTimer is a pending check; the hub's lock guards it.
type goneTimer struct{ t *time.Timer }

// agentWait is how long after an agent's last socket here closed its
// calls are checked.
func (h *Hub) agentWait() time.Duration {
	// A quarter heartbeat (5 s by default) for the renewal to be written.
	return max(h.opt.CallGrace, h.opt.Heartbeat+h.opt.Heartbeat/4)
}

// left starts the wait for user, whose last socket here just closed. The
// time it left is taken once no heartbeat that still listed it is being
// written, so only other nodes (or a reconnect) renew its calls after it.
func (h *Hub) left(user string) {
	h.beat.Lock()
	goneAt := h.store.Now()
	h.beat.Unlock()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || h.gone[user] != nil || len(h.byUser[user]) > 0 {
		return
	}
	g := &goneTimer{}
	h.gone[user] = g
	g.t = time.AfterFunc(h.agentWait(), func() { h.agentGone(user, goneAt, g) })
}

// backLocked cancels user's wait: a socket of theirs is here again; under h.mu.
func (h *Hub) backLocked(user string) {
	if g := h.gone[user]; g != nil {
		g.t.Stop()
		delete(h.gone, user)
	}
}

// agentGone ends the calls of user not renewed since goneAt.
func (h *Hub) agentGone(user string, goneAt time.Time, g *goneTimer) {
	h.mu.Lock()
	mine := h.gone[user] == g
	if mine {
		delete(h.gone, user)
	}
	away := mine && !h.closed && len(h.byUser[user]) == 0
	h.mu.Unlock()
	if !away {
		return
	}
	if _, err := h.store.EndAgentGoneCalls(h.ctx, user, goneAt); err != nil && h.ctx.Err() == nil {
		h.log.Warn("realtime: end the calls of an agent gone", "err", err)
	}
}
