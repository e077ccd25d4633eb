package web

import (
	"time"
)

// A customer going away ends its call (docs/realtime.md, "A party goes
// away"): when a contact's last widget socket on a channel closes here, a
// timer waits the grace (a reload or a blip reconnects well within it);
// if no socket of that contact on that channel is back here by then, the
// store ends the live call of its conversation (hangup_customer while
// talking, cancelled or missed while ringing) and both sides get
// call.state. The agent's side is the console hub's (realtime/callgone.go).

// goneKey is one contact on one channel: what a widget session speaks for.
type goneKey struct{ contactID, channelID string }

// goneTimer is a pending check; the hub's lock guards both fields.
type goneTimer struct{ t *time.Timer }

// present reports whether a socket of k is here; under h.mu.
func (h *hub) present(k goneKey) bool {
	for s := range h.byContact[k.contactID] {
		if s.v.ChannelID == k.channelID {
			return true
		}
	}
	return false
}

// leftLocked starts the grace for k if its last socket here just closed;
// under h.mu.
func (h *hub) leftLocked(k goneKey) {
	if h.closed || h.present(k) || h.gone[k] != nil {
		return
	}
	g := &goneTimer{}
	h.gone[k] = g
	g.t = time.AfterFunc(h.grace, func() { h.customerGone(k, g) })
}

// backLocked cancels k's grace: a socket of it is here again; under h.mu.
func (h *hub) backLocked(k goneKey) {
	if g := h.gone[k]; g != nil {
		g.t.Stop()
		delete(h.gone, k)
	}
}

// customerGone ends k's live call if k is still away when its grace ends.
func (h *hub) customerGone(k goneKey, g *goneTimer) {
	h.mu.Lock()
	mine := h.gone[k] == g
	if mine {
		delete(h.gone, k)
	}
	away := mine && !h.closed && !h.present(k)
	h.mu.Unlock()
	if !away {
		return
	}
	st := h.s.store
	conv, err := st.WidgetConversation(h.ctx, k.channelID, k.contactID)
	if err != nil || !conv.Phase.Open() {
		return // no conversation, or a closed one (its call ended with it)
	}
	if _, err := st.EndCustomerGoneCall(h.ctx, conv.ID); err != nil && h.ctx.Err() == nil {
		h.s.log.Warn("widget: end the call of a customer gone", "err", err)
	}
}
