package whatsapp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/channel/whatsapp"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// WhatsApp calls end to end on one running node: Meta's webhooks go to
// its HTTP server, the agent is a real console socket, and the fake Graph
// API records what Meta is told.

// liveCall is a node with a WhatsApp channel whose customer's
// conversation Ana holds, and Ana's socket.
type liveCall struct {
	t     *testing.T
	ctx   context.Context
	node  *app.App
	graph *fakeGraph
	ch    desk.Channel
	conv  string
	ana   *rtclient.Client
	// carl is an agent of another bot, connected too.
	carl *rtclient.Client
}

func newLiveCall(t *testing.T) *liveCall {
	t.Helper()
	ctx := testCtx(t)
	a, err := app.New(context.Background(), app.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), FastHashing: true, LockMax: 30 * time.Second},
		app.Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	l := &liveCall{t: t, ctx: ctx, node: a, graph: newFakeGraph(t)}
	sd := storetest.Seed{T: t, S: a.Store, Ctx: ctx}
	bot := sd.Bot(desk.Bot{Name: "Lucky Shrub"}) // no flow, no webhook: straight to the queue
	if _, err := a.Store.UpdateBot(ctx, bot.ID, store.BotPatch{Calls: &desk.CallSettings{Mode: desk.CallsAudio}}); err != nil {
		t.Fatal(err)
	}
	l.ch = sd.Channel(desk.Channel{BotID: bot.ID, Type: desk.ChannelWhatsApp, Name: "WhatsApp", Config: channelConfig(l.graph.api(), 0)})
	ana := sd.User(desk.User{Name: "Ana", Email: "ana@x.io", Role: desk.RoleAgent, BotIDs: []string{bot.ID}}, sd.Hash("password1"))
	sd.Online(ana)
	l.post("text.json", "")
	list, _, err := a.Store.ListConversations(ctx, desk.SystemActor, store.ConversationFilter{AllPhases: true, Limit: 5})
	if err != nil || len(list) != 1 {
		t.Fatalf("conversations %v %v", list, err)
	}
	l.conv = list[0].ID
	if _, err := a.Store.Assign(ctx, desk.SystemActor, l.conv, store.AssignInput{AgentID: ana.ID}); err != nil {
		t.Fatal(err)
	}
	other := sd.Bot(desk.Bot{Name: "Other"})
	carl := sd.User(desk.User{Name: "Carl", Email: "carl@x.io", Role: desk.RoleSupervisor, BotIDs: []string{other.ID}}, sd.Hash("password1"))
	for _, c := range []struct {
		to    **rtclient.Client
		email string
	}{{&l.ana, ana.Email}, {&l.carl, carl.Email}} {
		if *c.to, err = rtclient.Login(ctx, a.URL(), c.email, "password1"); err != nil {
			t.Fatal(err)
		}
		if err := (*c.to).Connect(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup((*c.to).Close)
	}
	return l
}

// post signs and posts a fixture to the node, its call id suffixed by
// suffix (a second call of the same customer).
func (l *liveCall) post(name, suffix string) {
	l.t.Helper()
	body := bytes.ReplaceAll(fixture(l.t, name), []byte(callID), []byte(callID+suffix))
	req, _ := http.NewRequestWithContext(l.ctx, "POST", l.node.URL()+"/webhooks/whatsapp/"+l.ch.ID, bytes.NewReader(body))
	req.Header.Set("X-Hub-Signature-256", whatsapp.Sign(appSecret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		l.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		l.t.Fatalf("webhook %s: %d", name, resp.StatusCode)
	}
}

// nextCall is the agent's next call or error frame.
func (l *liveCall) nextCall() realtime.Frame {
	l.t.Helper()
	for {
		f, err := l.ana.Next(l.ctx)
		if err != nil {
			l.t.Fatalf("waiting for a call frame: %v", err)
		}
		if strings.HasPrefix(string(f.Type), "call.") || f.Type == realtime.FrameError {
			return f
		}
	}
}

// next is the agent's next call or error frame, which must be typ.
func (l *liveCall) next(typ realtime.FrameType) realtime.Frame {
	l.t.Helper()
	f := l.nextCall()
	if f.Type != typ {
		l.t.Fatalf("got %s %s, want %s", f.Type, f.Data, typ)
	}
	return f
}

func (l *liveCall) state(want desk.CallState, reason desk.CallEndReason) realtime.CallView {
	l.t.Helper()
	var v realtime.CallView
	_ = json.Unmarshal(l.next(realtime.FrameCallState).Data, &v)
	if v.State != want || v.EndReason != reason || v.Via != desk.ViaWhatsApp {
		l.t.Fatalf("call.state %+v, want %s %s via whatsapp", v, want, reason)
	}
	return v
}

func (l *liveCall) refused(code desk.Code) {
	l.t.Helper()
	var e realtime.ErrorFrame
	_ = json.Unmarshal(l.next(realtime.FrameError).Data, &e)
	if e.Code != string(code) {
		l.t.Fatalf("error %+v, want %s", e, code)
	}
}

func (l *liveCall) send(v any) {
	l.t.Helper()
	if err := l.ana.SendJSON(l.ctx, v); err != nil {
		l.t.Fatal(err)
	}
}

// ring posts a connect and returns the call ringing at Ana.
func (l *liveCall) ring(suffix string) realtime.CallView {
	l.t.Helper()
	l.post("call_connect.json", suffix)
	var v realtime.CallView
	_ = json.Unmarshal(l.next(realtime.FrameCallRinging).Data, &v)
	if v.Via != desk.ViaWhatsApp || v.StartedBy != desk.PartyCustomer || v.Media != desk.MediaAudio || v.ConversationID != l.conv {
		l.t.Fatalf("ringing %+v", v)
	}
	return v
}

// accept accepts call id and returns the offer Ana receives.
func (l *liveCall) accept(id string) desk.CallSignal {
	l.t.Helper()
	l.send(map[string]any{"type": "call.accept", "call_id": id})
	l.state(desk.CallAccepted, "")
	var sig desk.CallSignal
	_ = json.Unmarshal(l.next(realtime.FrameCallSignal).Data, &sig)
	return sig
}

func (l *liveCall) graphGot(action, id, sdp string) {
	l.t.Helper()
	a := l.graph.callAction(l.ctx, l.t)
	got := ""
	if a.Session != nil {
		got = a.Session.SDP
	}
	if a.Action != action || a.CallID != id || got != sdp {
		l.t.Fatalf("Graph got %s %s (sdp %q), want %s %s (sdp %q)", a.Action, a.CallID, got, action, id, sdp)
	}
}

const agentAnswer = "v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=setup:active\r\n"

func TestWhatsAppCallRingsAnswersAndEndsAtTheAgentsSocket(t *testing.T) {
	t.Parallel()
	l := newLiveCall(t)
	call := l.ring("")
	// Another bot's supervisor cannot take it, and was never rung: the
	// first call frame on Carl's socket is his refusal.
	if err := l.carl.SendJSON(l.ctx, map[string]any{"type": "call.accept", "call_id": call.ID}); err != nil {
		t.Fatal(err)
	}
	for {
		f, err := l.carl.Next(l.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(string(f.Type), "call.") || f.Type == realtime.FrameError {
			var e realtime.ErrorFrame
			if _ = json.Unmarshal(f.Data, &e); f.Type != realtime.FrameError || e.Code != string(desk.CodeNotCallParty) {
				t.Fatalf("Carl got %s %s", f.Type, f.Data)
			}
			break
		}
	}
	offer := l.accept(call.ID)
	var wh whatsapp.Webhook
	_ = json.Unmarshal(fixture(t, "call_connect.json"), &wh)
	if offer.Kind != desk.SignalOffer || offer.From != desk.PartyCustomer || offer.CallID != call.ID ||
		offer.SDP != wh.Entry[0].Changes[0].Value.Calls[0].Session.SDP {
		t.Fatalf("the agent got %+v, want Meta's offer", offer)
	}
	// Meta takes no trickle ICE and makes the offer itself.
	l.send(map[string]any{"type": "call.signal", "call_id": call.ID, "kind": "ice", "candidate": map[string]any{"candidate": "candidate:1"}})
	l.refused(desk.CodeValidationFailed)
	l.send(map[string]any{"type": "call.signal", "call_id": call.ID, "kind": "offer", "sdp": "v=0"})
	l.refused(desk.CodeValidationFailed)
	l.send(map[string]any{"type": "call.signal", "call_id": call.ID, "kind": "answer", "sdp": agentAnswer})
	l.graphGot("pre_accept", callID, agentAnswer)
	l.graphGot("accept", callID, agentAnswer)
	// The customer hangs up: Meta's terminate ends it at the agent, and
	// Meta is told nothing back.
	l.post("call_terminate.json", "")
	l.state(desk.CallEnded, desk.EndHangupCustomer)
	l.graph.noCallAction(t)
}

func TestWhatsAppCallDeclineHangupAndGraphFailureTellMeta(t *testing.T) {
	t.Parallel()
	l := newLiveCall(t)
	// Declined: rejected at Meta.
	call := l.ring("D")
	l.send(map[string]any{"type": "call.decline", "call_id": call.ID})
	l.state(desk.CallDeclined, "")
	l.graphGot("reject", callID+"D", "")

	// Meta refuses the answer: the call ends with channel_error, and
	// Meta is told to let it go.
	call = l.ring("F")
	l.accept(call.ID)
	l.graph.mu.Lock()
	l.graph.callReplies = append(l.graph.callReplies, fakeReply{400, `{"error":{"message":"(#138000) Call not found","type":"OAuthException","code":138000}}`})
	l.graph.mu.Unlock()
	l.send(map[string]any{"type": "call.signal", "call_id": call.ID, "kind": "answer", "sdp": agentAnswer})
	l.graphGot("pre_accept", callID+"F", agentAnswer)
	// The refusal answers the frame on this socket; the state comes
	// through the bus: either may come first.
	var ended, refused bool
	for !ended || !refused {
		f := l.nextCall()
		var v realtime.CallView
		var e realtime.ErrorFrame
		switch {
		case f.Type == realtime.FrameCallState && json.Unmarshal(f.Data, &v) == nil && v.State == desk.CallEnded && v.EndReason == desk.EndChannelError:
			ended = true
		case f.Type == realtime.FrameError && json.Unmarshal(f.Data, &e) == nil && e.Code == string(desk.CodeCallOver):
			refused = true
		default:
			t.Fatalf("got %s %s", f.Type, f.Data)
		}
	}
	l.graphGot("terminate", callID+"F", "")

	// Answered, then the agent hangs up: terminated at Meta.
	call = l.ring("H")
	l.accept(call.ID)
	l.send(map[string]any{"type": "call.signal", "call_id": call.ID, "kind": "answer", "sdp": agentAnswer})
	l.graphGot("pre_accept", callID+"H", agentAnswer)
	l.graphGot("accept", callID+"H", agentAnswer)
	l.send(map[string]any{"type": "call.hangup", "call_id": call.ID})
	l.state(desk.CallEnded, desk.EndHangupAgent)
	l.graphGot("terminate", callID+"H", "")
}
