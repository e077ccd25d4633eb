package whatsapp_test

import (
	"context"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/channel/whatsapp"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The calls webhook against a real store (both databases) and the fake
// Graph API: ringing, refusals, Meta's terminate, and what Meta is told
// when the call ends on Relevo's side. The agent's socket side is in
// calls_live_test.go.

const callID = "wacid.HBgLMTY1MDU1NTEyMzQVAgARGCA5QTNDQTVCM0Q0Q0Q2RTY3RTcA"

// callsOn sets the bot's calls mode.
func (e *env) callsOn(mode desk.CallMode) {
	e.t.Helper()
	if _, err := e.s.UpdateBot(context.Background(), e.bot.ID, store.BotPatch{Calls: &desk.CallSettings{Mode: mode}}); err != nil {
		e.t.Fatal(err)
	}
}

// held opens the customer's conversation and gives it to an online agent.
func (e *env) held() (desk.Conversation, desk.User) {
	e.t.Helper()
	ctx := context.Background()
	c := e.opened()
	sd := storetest.NewSeed(e.t, e.s)
	ana := sd.User(desk.User{Name: "Ana", Email: "ana@x.io", Role: desk.RoleAgent, BotIDs: []string{e.bot.ID}}, sd.Hash("password1"))
	sd.Online(ana)
	if _, err := e.s.Handover(ctx, desk.Actor{Integration: true, BotID: e.bot.ID}, c.ID, store.HandoverInput{}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.s.Assign(ctx, desk.SystemActor, c.ID, store.AssignInput{AgentID: ana.ID}); err != nil {
		e.t.Fatal(err)
	}
	return c, ana
}

// theCall reads the conversation's call (its events name it).
func (e *env) theCall(convID string) desk.Call {
	e.t.Helper()
	id := ""
	for _, m := range e.messages(convID) {
		if m.Event != nil && m.Event.Call != nil {
			if id != "" && id != m.Event.Call.ID {
				e.t.Fatalf("two calls in the timeline: %s and %s", id, m.Event.Call.ID)
			}
			id = m.Event.Call.ID
		}
	}
	c, err := e.s.GetCall(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	if c.ExternalID != callID {
		e.t.Fatalf("call's WhatsApp id %q", c.ExternalID)
	}
	return c
}

// callEvents are the call events of the conversation's timeline.
func (e *env) callEvents(convID string) []desk.EventType {
	var out []desk.EventType
	for _, m := range e.messages(convID) {
		if m.Event != nil && m.Event.Call != nil {
			out = append(out, m.Event.Type)
		}
	}
	return out
}

func (e *env) drain() {
	e.t.Helper()
	if err := e.outbox.Drain(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

func TestCallConnectRingsTheHoldingAgentOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		e.callsOn(desk.CallsAudio)
		c, ana := e.held()
		e.deliver("call_connect.json")
		e.deliver("call_connect.json") // Meta retries: still one call
		call := e.theCall(c.ID)
		if call.State != desk.CallRinging || call.Via != desk.ViaWhatsApp || call.AgentID != ana.ID || call.ConversationID != c.ID ||
			call.StartedBy != desk.PartyCustomer || call.Media != desk.MediaAudio || !strings.Contains(call.OfferSDP, "opus/48000/2") {
			t.Fatalf("call %+v", call)
		}
		if got := e.callEvents(c.ID); len(got) != 1 || got[0] != desk.EventCallStarted {
			t.Fatalf("timeline %v", got)
		}
		e.deliver("call_status_ringing.json") // a call's status: read by nobody, never a 500
		// The customer hangs up while it rings: Meta already knows.
		e.deliver("call_terminate.json")
		if call = e.theCall(c.ID); call.State != desk.CallCancelled || call.EndReason != desk.EndHangupCustomer {
			t.Fatalf("after terminate %+v", call)
		}
		e.deliver("call_terminate.json")
		e.drain()
		e.graph.noCallAction(t)
	})
}

func TestRefusedCallsAreRejectedAndShownMissed(t *testing.T) {
	for _, tc := range []struct {
		name string
		mode desk.CallMode
		hold bool
	}{
		{"calls off", desk.CallsOff, true},
		{"nobody holds it", desk.CallsAudio, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *storetest.DB) {
				e := newEnv(t, db)
				e.callsOn(tc.mode)
				var c desk.Conversation
				if tc.hold {
					c, _ = e.held()
				} else {
					c = e.opened()
				}
				e.deliver("call_connect.json")
				if call := e.theCall(c.ID); call.State != desk.CallMissed || call.OfferSDP != "" {
					t.Fatalf("call %+v", call)
				}
				if got := e.callEvents(c.ID); len(got) != 1 || got[0] != desk.EventCallMissed {
					t.Fatalf("timeline %v", got)
				}
				e.drain()
				if a := e.graph.callAction(testCtx(t), t); a.Action != "reject" || a.CallID != callID {
					t.Fatalf("Graph got %+v", a)
				}
			})
		})
	}
}

// A call from someone with no open conversation has nowhere to ring or
// be noted: rejected at once, and nothing is opened.
func TestCallWithoutConversationIsRejected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		e.callsOn(desk.CallsAudio)
		e.deliver("call_connect.json")
		if a := e.graph.callAction(testCtx(t), t); a.Action != "reject" || a.CallID != callID {
			t.Fatalf("Graph got %+v", a)
		}
		if n := len(e.conversations()); n != 0 {
			t.Fatalf("%d conversations opened", n)
		}
	})
}

// A body whose signature does not match changes nothing.
func TestCallWebhookNeedsTheSignature(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		e.callsOn(desk.CallsAudio)
		c, _ := e.held()
		body := fixture(t, "call_connect.json")
		if w := e.postSigned(body, whatsapp.Sign("another-secret", body)); w.Code != 401 {
			t.Fatalf("bad signature: %d %s", w.Code, w.Body)
		}
		if got := e.callEvents(c.ID); len(got) != 0 {
			t.Fatalf("timeline %v", got)
		}
		e.drain()
		e.graph.noCallAction(t)
	})
}

// The ring timeout, the agent's decline and hang-up, and a closed
// conversation each tell Meta: reject while ringing, terminate once
// answered (through the outbox, so any node's sweeper does it once).
func TestRelevosSideOfTheEndTellsMeta(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		ctx := testCtx(t)
		e := newEnv(t, db)
		e.callsOn(desk.CallsAudio)
		c, ana := e.held()
		e.deliver("call_connect.json")
		db.Clock.Advance(desk.CallRingTimeout)
		if n, err := e.s.SweepCalls(ctx); err != nil || n != 1 {
			t.Fatalf("sweep: %d %v", n, err)
		}
		e.drain()
		if a := e.graph.callAction(ctx, t); a.Action != "reject" || a.CallID != callID {
			t.Fatalf("after the ring timeout Graph got %+v", a)
		}
		if call := e.theCall(c.ID); call.State != desk.CallMissed {
			t.Fatalf("call %+v", call)
		}
		_ = ana
	})
}
