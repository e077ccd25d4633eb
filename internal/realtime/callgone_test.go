package realtime_test

import (
	"context"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
)

// goneOptions shorten the grace (and the heartbeat the agent's wait
// counts) so a party's leaving shows within a test.
var goneOptions = app.Options{CallGrace: 200 * time.Millisecond, Heartbeat: 200 * time.Millisecond}

// anaCalls starts a node with goneOptions where Ana, holding a widget
// customer's conversation, calls the customer: the customer's socket,
// Ana's, and the ringing call as Ana saw it start.
func anaCalls(t *testing.T, ctx context.Context) (*widgetSocket, *rtclient.Client, realtime.CallView) {
	t.Helper()
	n := startNode(t, app.Config{}, goneOptions)
	f := newFloor(t, ctx, n.Store)
	w, conv := callSetup(t, ctx, f, n.URL(), n.URL(), desk.CallsAudio)
	ana := connect(t, ctx, n.URL(), f.ana)
	sendCall(t, ctx, ana, m{"type": "call.start", "conversation_id": conv, "media": "audio"})
	return w, ana, decode[realtime.CallView](t, callFrame(t, ctx, ana, realtime.FrameCallState))
}

// The customer's tab closes during a call: once the grace has passed, the
// call ends as the customer's hangup and the agent sees it.
func TestCustomerGoneEndsTheCall(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	w, ana, _ := anaCalls(t, ctx)
	ring := decode[realtime.CallView](t, w.await(ctx, realtime.FrameCallRinging))
	w.send(ctx, m{"type": "call.accept", "call_id": ring.ID})
	if s := decode[realtime.CallView](t, callFrame(t, ctx, ana, realtime.FrameCallState)); s.State != desk.CallAccepted {
		t.Fatalf("agent sees %+v", s)
	}
	_ = w.conn.Close(websocket.StatusGoingAway, "tab closed")
	s := decode[realtime.CallView](t, callFrame(t, ctx, ana, realtime.FrameCallState))
	if s.ID != ring.ID || s.State != desk.CallEnded || s.EndReason != desk.EndHangupCustomer {
		t.Fatalf("agent sees %+v, want the call ended by the customer", s)
	}
}

// The agent's only tab closes while its call rings: the call is
// cancelled as the agent's and the customer sees it stop.
func TestAgentGoneEndsTheCall(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	w, ana, st := anaCalls(t, ctx)
	w.await(ctx, realtime.FrameCallRinging)
	ana.Close()
	s := decode[realtime.CallView](t, w.await(ctx, realtime.FrameCallState))
	if s.ID != st.ID || s.State != desk.CallCancelled || s.EndReason != desk.EndHangupAgent {
		t.Fatalf("customer sees %+v, want the call cancelled by the agent", s)
	}
}

// The customer's widget on node A, the agent on node B: the customer's
// leaving is noticed on A and the agent on B sees the call end.
func TestCustomerGoneAcrossTwoNodes(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	cl := newClusterWith(t, goneOptions)
	f := newFloor(t, ctx, cl.a.Store)
	w, conv := callSetup(t, ctx, f, cl.a.URL(), cl.a.URL(), desk.CallsAudio)
	ana := connect(t, ctx, cl.b.URL(), f.ana)
	w.send(ctx, m{"type": "call.start", "media": "audio"}) // the customer calls
	st := decode[realtime.CallView](t, w.await(ctx, realtime.FrameCallState))
	if ring := decode[realtime.CallView](t, callFrame(t, ctx, ana, realtime.FrameCallRinging)); ring.ID != st.ID || ring.ConversationID != conv {
		t.Fatalf("ana rings %+v", ring)
	}
	_ = w.conn.Close(websocket.StatusGoingAway, "tab closed")
	s := decode[realtime.CallView](t, callFrame(t, ctx, ana, realtime.FrameCallState))
	if s.ID != st.ID || s.State != desk.CallCancelled || s.EndReason != desk.EndHangupCustomer {
		t.Fatalf("agent sees %+v, want the customer's call cancelled", s)
	}
}
