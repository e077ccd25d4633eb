package realtime_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
	"github.com/relevo/relevo/internal/widgetapi"
)

// widgetSocket is a customer's widget socket.
type widgetSocket struct {
	t    testing.TB
	conn *websocket.Conn
}

// callSetup: a web channel of f.bot with calls on, a customer who wrote
// through it (on base), the conversation assigned to Ana. It returns the
// customer's socket on wsBase and the conversation.
func callSetup(t *testing.T, ctx context.Context, f *floor, base, wsBase string, mode desk.CallMode) (*widgetSocket, string) {
	t.Helper()
	s := f.s
	must(s.UpdateBot(ctx, f.bot.ID, store.BotPatch{Calls: &desk.CallSettings{Mode: mode, CustomerMayStart: true}, Flow: &json.RawMessage{}}))(t)
	ch := storetest.Seed{T: t, S: s, Ctx: ctx}.Channel(desk.Channel{BotID: f.bot.ID, Type: desk.ChannelWeb, Name: "Site", Config: json.RawMessage(`{}`)})
	var sess widgetapi.WidgetSessionResponse
	wc := &rtclient.Client{Base: base, HTTP: http.DefaultClient}
	if err := wc.Do(ctx, "POST", "/widget/v1/sessions", widgetapi.WidgetSessionRequest{ChannelID: ch.ID}, &sess); err != nil {
		t.Fatal(err)
	}
	wc.HTTP = &http.Client{Transport: bearer(sess.Token)}
	var m widgetapi.WidgetMessage
	if err := wc.Do(ctx, "POST", "/widget/v1/messages", widgetapi.WidgetSendRequest{ID: "m1", Text: "call me"}, &m); err != nil {
		t.Fatal(err)
	}
	must(s.Assign(ctx, desk.UserActor(f.ana), m.ConversationID, store.AssignInput{}))(t)
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(wsBase, "http")+"/widget/v1/ws?token="+sess.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.CloseNow() })
	w := &widgetSocket{t: t, conn: conn}
	if fr := w.next(ctx); fr.Type != realtime.FrameHello {
		t.Fatalf("widget: first frame %s", fr.Type)
	}
	return w, m.ConversationID
}

func (w *widgetSocket) next(ctx context.Context) realtime.Frame {
	w.t.Helper()
	_, b, err := w.conn.Read(ctx)
	if err != nil {
		w.t.Fatalf("widget: read: %v", err)
	}
	var f realtime.Frame
	if err := json.Unmarshal(b, &f); err != nil {
		w.t.Fatal(err)
	}
	return f
}

// await reads until a frame of type typ (call frames only: messages and
// conversation updates in between are skipped) and fails on any other
// call or error frame, so nothing slips through unseen.
func (w *widgetSocket) await(ctx context.Context, typ realtime.FrameType) realtime.Frame {
	w.t.Helper()
	for {
		f := w.next(ctx)
		if f.Type == typ {
			return f
		}
		if strings.HasPrefix(string(f.Type), "call.") || f.Type == realtime.FrameError {
			w.t.Fatalf("widget: got %s %s, want %s", f.Type, f.Data, typ)
		}
	}
}

func (w *widgetSocket) send(ctx context.Context, v any) {
	w.t.Helper()
	b, _ := json.Marshal(v)
	if err := w.conn.Write(ctx, websocket.MessageText, b); err != nil {
		w.t.Fatal(err)
	}
}

// callFrame awaits the next call or error frame on an agent socket.
func callFrame(t *testing.T, ctx context.Context, c *rtclient.Client, typ realtime.FrameType) realtime.Frame {
	t.Helper()
	seen := await(t, ctx, c, string(typ), func(f realtime.Frame) bool {
		return strings.HasPrefix(string(f.Type), "call.") || f.Type == realtime.FrameError
	})
	f := seen[len(seen)-1]
	if f.Type != typ {
		t.Fatalf("%s: got %s %s, want %s", c.User.Name, f.Type, f.Data, typ)
	}
	return f
}

func sendCall(t *testing.T, ctx context.Context, c *rtclient.Client, v any) {
	t.Helper()
	if err := c.SendJSON(ctx, v); err != nil {
		t.Fatal(err)
	}
}

func wantErrorCode(t *testing.T, f realtime.Frame, code desk.Code) {
	t.Helper()
	if e := decode[realtime.ErrorFrame](t, f); e.Code != string(code) {
		t.Fatalf("error %+v, want %s", e, code)
	}
}

type m = map[string]any

// exchange runs a whole call between Ana (on agentBase) and the customer's
// widget socket: start, accept, offer, answer, ice, hangup.
func exchange(t *testing.T, ctx context.Context, ana *rtclient.Client, w *widgetSocket, conv string) {
	sendCall(t, ctx, ana, m{"type": "call.start", "conversation_id": conv, "media": "video"})
	st := decode[realtime.CallView](t, callFrame(t, ctx, ana, realtime.FrameCallState))
	if st.State != desk.CallRinging || st.StartedBy != desk.PartyAgent {
		t.Fatalf("agent sees %+v", st)
	}
	ring := decode[realtime.CallView](t, w.await(ctx, realtime.FrameCallRinging))
	if ring.ID != st.ID || ring.Media != desk.MediaVideo {
		t.Fatalf("customer rings %+v", ring)
	}
	// No media before the customer accepts: an early offer goes nowhere.
	sendCall(t, ctx, ana, m{"type": "call.signal", "call_id": st.ID, "kind": "offer", "sdp": "v=0 early"})
	wantErrorCode(t, callFrame(t, ctx, ana, realtime.FrameError), desk.CodeCallOver)

	w.send(ctx, m{"type": "call.accept", "call_id": st.ID})
	if s := decode[realtime.CallView](t, w.await(ctx, realtime.FrameCallState)); s.State != desk.CallAccepted {
		t.Fatalf("customer sees %+v", s)
	}
	if s := decode[realtime.CallView](t, callFrame(t, ctx, ana, realtime.FrameCallState)); s.State != desk.CallAccepted {
		t.Fatalf("agent sees %+v", s)
	}
	sendCall(t, ctx, ana, m{"type": "call.signal", "call_id": st.ID, "kind": "offer", "sdp": "v=0 offer"})
	if sig := decode[desk.CallSignal](t, w.await(ctx, realtime.FrameCallSignal)); sig.SDP != "v=0 offer" || sig.From != desk.PartyAgent {
		t.Fatalf("customer got %+v", sig)
	}
	w.send(ctx, m{"type": "call.signal", "call_id": st.ID, "kind": "answer", "sdp": "v=0 answer"})
	w.send(ctx, m{"type": "call.signal", "call_id": st.ID, "kind": "ice", "candidate": m{"candidate": "candidate:1"}})
	if sig := decode[desk.CallSignal](t, callFrame(t, ctx, ana, realtime.FrameCallSignal)); sig.Kind != desk.SignalAnswer || sig.SDP != "v=0 answer" {
		t.Fatalf("agent got %+v", sig)
	}
	if sig := decode[desk.CallSignal](t, callFrame(t, ctx, ana, realtime.FrameCallSignal)); sig.Kind != desk.SignalICE || !strings.Contains(string(sig.Candidate), "candidate:1") {
		t.Fatalf("agent got %+v", sig)
	}
	w.send(ctx, m{"type": "call.hangup", "call_id": st.ID})
	if s := decode[realtime.CallView](t, callFrame(t, ctx, ana, realtime.FrameCallState)); s.State != desk.CallEnded || s.EndReason != desk.EndHangupCustomer {
		t.Fatalf("agent sees %+v", s)
	}
	if s := decode[realtime.CallView](t, w.await(ctx, realtime.FrameCallState)); s.State != desk.CallEnded {
		t.Fatalf("customer sees %+v", s)
	}
}

func TestCallBetweenAgentAndWidgetOnOneNode(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	w, conv := callSetup(t, ctx, f, n.URL(), n.URL(), desk.CallsVideo)
	ana := connect(t, ctx, n.URL(), f.ana)
	exchange(t, ctx, ana, w, conv)
}

// Forged and refused frames get their stable code and reach no one.
func TestForgedCallFramesAreRefusedAndRelayedNowhere(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	w, conv := callSetup(t, ctx, f, n.URL(), n.URL(), desk.CallsAudio)
	ana := connect(t, ctx, n.URL(), f.ana)
	bob := connect(t, ctx, n.URL(), f.bob)
	carl := connect(t, ctx, n.URL(), f.carl)

	sendCall(t, ctx, ana, m{"type": "call.start", "conversation_id": conv, "media": "video"})
	wantErrorCode(t, callFrame(t, ctx, ana, realtime.FrameError), desk.CodeCallMediaNotAllowed)
	// Bob (same bot, an agent sees Ana's conversation no more than Carl of
	// another bot does) and Carl: the conversation does not exist for them.
	for _, c := range []*rtclient.Client{bob, carl} {
		sendCall(t, ctx, c, m{"type": "call.start", "conversation_id": conv, "media": "audio"})
		wantErrorCode(t, callFrame(t, ctx, c, realtime.FrameError), desk.CodeNotFound)
	}

	w.send(ctx, m{"type": "call.start", "media": "audio"}) // the customer calls
	st := decode[realtime.CallView](t, w.await(ctx, realtime.FrameCallState))
	if ring := decode[realtime.CallView](t, callFrame(t, ctx, ana, realtime.FrameCallRinging)); ring.ID != st.ID {
		t.Fatalf("ana rings %+v, want %+v", ring, st)
	}
	sendCall(t, ctx, ana, m{"type": "call.start", "conversation_id": conv, "media": "audio"})
	wantErrorCode(t, callFrame(t, ctx, ana, realtime.FrameError), desk.CodeCallInProgress)
	// Nobody but the called agent answers; nobody else signals.
	for _, c := range []*rtclient.Client{bob, carl} {
		sendCall(t, ctx, c, m{"type": "call.accept", "call_id": st.ID})
		wantErrorCode(t, callFrame(t, ctx, c, realtime.FrameError), desk.CodeNotCallParty)
		sendCall(t, ctx, c, m{"type": "call.signal", "call_id": st.ID, "kind": "offer", "sdp": "v=0"})
		wantErrorCode(t, callFrame(t, ctx, c, realtime.FrameError), desk.CodeNotCallParty)
	}
	w.send(ctx, m{"type": "call.accept", "call_id": st.ID}) // the caller cannot answer
	wantErrorCode(t, w.await(ctx, realtime.FrameError), desk.CodeNotCallParty)
	sendCall(t, ctx, ana, m{"type": "call.accept", "call_id": st.ID})
	callFrame(t, ctx, ana, realtime.FrameCallState)
	w.await(ctx, realtime.FrameCallState)
	big := strings.Repeat("a", desk.MaxCallSignal+1)
	sendCall(t, ctx, ana, m{"type": "call.signal", "call_id": st.ID, "kind": "offer", "sdp": big})
	wantErrorCode(t, callFrame(t, ctx, ana, realtime.FrameError), desk.CodePayloadTooLarge)
	sendCall(t, ctx, ana, m{"type": "call.signal", "call_id": st.ID, "kind": "bye", "sdp": "v=0"})
	wantErrorCode(t, callFrame(t, ctx, ana, realtime.FrameError), desk.CodeValidationFailed)
	// The next thing the customer sees is the hangup: none of the above reached it.
	sendCall(t, ctx, ana, m{"type": "call.hangup", "call_id": st.ID})
	if s := decode[realtime.CallView](t, w.await(ctx, realtime.FrameCallState)); s.State != desk.CallEnded {
		t.Fatalf("customer sees %+v", s)
	}
	// Bob and Carl saw no call frame of it: the barrier comes first.
	for _, c := range []*rtclient.Client{bob, carl} {
		for _, fr := range barrier(t, ctx, n.Store, f.sue.ID, c) {
			if strings.HasPrefix(string(fr.Type), "call.") {
				t.Errorf("%s got %s", c.User.Name, fr.Type)
			}
		}
	}
	// Calls off: refused.
	must(n.Store.UpdateBot(ctx, f.bot.ID, store.BotPatch{Calls: &desk.CallSettings{Mode: desk.CallsOff}}))(t)
	w.send(ctx, m{"type": "call.start", "media": "audio"})
	wantErrorCode(t, w.await(ctx, realtime.FrameError), desk.CodeCallsOff)
}

// Ana on node B, the customer's widget on node A: the call's frames cross the bus.
func TestCallAcrossTwoNodes(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	cl := newCluster(t)
	f := newFloor(t, ctx, cl.a.Store)
	w, conv := callSetup(t, ctx, f, cl.a.URL(), cl.a.URL(), desk.CallsVideo)
	ana := connect(t, ctx, cl.b.URL(), f.ana)
	exchange(t, ctx, ana, w, conv)
}
