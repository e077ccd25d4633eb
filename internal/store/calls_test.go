package store_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// callWorld is a world whose bot allows video calls, customers too.
func callWorld(t *testing.T, db *storetest.DB) *World {
	w := NewWorld(t, db, WorldOptions{})
	setCalls(t, w, desk.CallSettings{Mode: desk.CallsVideo, CustomerMayStart: true})
	return w
}

func setCalls(t *testing.T, w *World, cs desk.CallSettings) {
	t.Helper()
	if _, err := w.S.UpdateBot(w.Ctx, w.Bot.ID, store.BotPatch{Calls: &cs}); err != nil {
		t.Fatal(err)
	}
}

// callEvents lists the call events of a conversation's timeline.
func callEvents(t *testing.T, w *World, convID string) []desk.Event {
	t.Helper()
	msgs, err := w.S.ListMessages(w.Ctx, desk.SystemActor, convID, store.MessagePage{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []desk.Event
	for _, m := range msgs {
		if m.Event != nil && m.Event.Call != nil {
			out = append(out, *m.Event)
		}
	}
	return out
}

func TestCallSetting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		if w.Bot.Calls.Mode != desk.CallsOff {
			t.Fatalf("new bot calls %+v, want off", w.Bot.Calls)
		}
		bad := desk.CallSettings{Mode: "hologram"}
		_, err := w.S.UpdateBot(w.Ctx, w.Bot.ID, store.BotPatch{Calls: &bad})
		wantInvalid(t, err, "calls.mode")
		setCalls(t, w, desk.CallSettings{Mode: desk.CallsAudio, CustomerMayStart: true})
		b, err := w.S.GetBot(w.Ctx, w.Bot.ID)
		if err != nil || b.Calls != (desk.CallSettings{Mode: desk.CallsAudio, CustomerMayStart: true}) {
			t.Fatalf("bot calls %+v, %v", b.Calls, err)
		}
	})
}

func TestCallLifecycle(t *testing.T) {
	var mu sync.Mutex
	var calls []desk.Call
	EachWithOptions(t, func(o *store.Options) {
		o.OnCommit = func(cs []desk.Change) {
			mu.Lock()
			defer mu.Unlock()
			for _, c := range cs {
				if c.Type == desk.ChangeCall {
					calls = append(calls, *c.Call)
				}
			}
		}
	}, func(t *testing.T, db *storetest.DB) {
		mu.Lock()
		calls = nil
		mu.Unlock()
		w := callWorld(t, db)
		conv := w.InPhase(desk.PhaseHuman)
		c, err := w.S.StartCall(w.Ctx, store.CallStart{ConversationID: conv.ID, By: desk.PartyAgent, AgentID: w.Agent.ID, Media: desk.MediaVideo, Node: "n1"})
		if err != nil || c.State != desk.CallRinging || c.AgentID != w.Agent.ID {
			t.Fatalf("start: %+v %v", c, err)
		}
		// The caller cannot answer its own call; another agent is no party.
		_, err = w.S.MoveCall(w.Ctx, store.CallMove{CallID: c.ID, Act: desk.ActAccept, By: desk.PartyAgent, AgentID: w.Agent.ID})
		wantCode(t, err, desk.CodeNotCallParty)
		_, err = w.S.MoveCall(w.Ctx, store.CallMove{CallID: c.ID, Act: desk.ActHangup, By: desk.PartyAgent, AgentID: w.Agent2.ID})
		wantCode(t, err, desk.CodeNotCallParty)
		other := w.InPhase(desk.PhaseHuman)
		_, err = w.S.MoveCall(w.Ctx, store.CallMove{CallID: c.ID, Act: desk.ActAccept, By: desk.PartyCustomer, ConversationID: other.ID})
		wantCode(t, err, desk.CodeNotCallParty)

		accept := store.CallMove{CallID: c.ID, Act: desk.ActAccept, By: desk.PartyCustomer, ConversationID: conv.ID}
		if c, err = w.S.MoveCall(w.Ctx, accept); err != nil || c.State != desk.CallAccepted {
			t.Fatalf("accept: %+v %v", c, err)
		}
		_, err = w.S.MoveCall(w.Ctx, accept) // compare-and-set: only once
		wantCode(t, err, desk.CodeCallOver)
		db.Clock.Advance(75 * time.Second)
		c, err = w.S.MoveCall(w.Ctx, store.CallMove{CallID: c.ID, Act: desk.ActHangup, By: desk.PartyCustomer, ConversationID: conv.ID})
		if err != nil || c.State != desk.CallEnded || c.EndReason != desk.EndHangupCustomer || c.Duration() != 75 {
			t.Fatalf("hangup: %+v %v", c, err)
		}
		evs := callEvents(t, w, conv.ID)
		want := []desk.EventType{desk.EventCallStarted, desk.EventCallAnswered, desk.EventCallEnded}
		if len(evs) != len(want) {
			t.Fatalf("events %+v, want %v", evs, want)
		}
		for i, e := range evs {
			if e.Type != want[i] || e.Call.ID != c.ID || e.Call.Media != desk.MediaVideo {
				t.Errorf("event %d: %+v, want %s", i, e, want[i])
			}
		}
		if last := evs[2].Call; last.DurationSeconds != 75 || last.EndReason != desk.EndHangupCustomer {
			t.Errorf("call_ended %+v, want 75 s by the customer", last)
		}
		mu.Lock()
		n := len(calls)
		mu.Unlock()
		if n != 3 {
			t.Errorf("%d call changes announced, want 3", n)
		}
		// The call is over: a new one may start.
		if _, err := w.S.StartCall(w.Ctx, store.CallStart{ConversationID: conv.ID, By: desk.PartyCustomer, Media: desk.MediaAudio}); err != nil {
			t.Fatalf("second call after the first ended: %v", err)
		}
	})
}

func TestCallStartRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		conv := w.InPhase(desk.PhaseHuman)
		start := store.CallStart{ConversationID: conv.ID, By: desk.PartyAgent, AgentID: w.Agent.ID, Media: desk.MediaAudio}
		_, err := w.S.StartCall(w.Ctx, start)
		wantCode(t, err, desk.CodeCallsOff)
		setCalls(t, w, desk.CallSettings{Mode: desk.CallsAudio})
		video := start
		video.Media = desk.MediaVideo
		_, err = w.S.StartCall(w.Ctx, video)
		wantCode(t, err, desk.CodeCallMediaNotAllowed)
		_, err = w.S.StartCall(w.Ctx, store.CallStart{ConversationID: conv.ID, By: desk.PartyCustomer, Media: desk.MediaAudio})
		wantCode(t, err, desk.CodeForbidden)
		stranger := start
		stranger.AgentID = w.Agent2.ID
		_, err = w.S.StartCall(w.Ctx, stranger)
		wantCode(t, err, desk.CodeForbidden)
		waiting := w.InPhase(desk.PhaseWaiting)
		_, err = w.S.StartCall(w.Ctx, store.CallStart{ConversationID: waiting.ID, By: desk.PartyAgent, AgentID: w.Agent.ID, Media: desk.MediaAudio})
		wantCode(t, err, desk.CodeInvalidPhase)
		if evs := callEvents(t, w, conv.ID); len(evs) != 0 {
			t.Fatalf("refused starts wrote %+v", evs)
		}
	})
}

// Two starts racing (two tabs, or agent and customer at once): one call.
func TestCallStartRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := callWorld(t, db)
		conv := w.InPhase(desk.PhaseHuman)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, by := range []desk.CallParty{desk.PartyAgent, desk.PartyCustomer} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = w.S.StartCall(w.Ctx, store.CallStart{ConversationID: conv.ID, By: by, AgentID: w.Agent.ID, Media: desk.MediaAudio})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else {
				wantCode(t, err, desk.CodeCallInProgress)
			}
		}
		if ok != 1 {
			t.Fatalf("%d starts won, want 1 (%v)", ok, errs)
		}
		if evs := callEvents(t, w, conv.ID); len(evs) != 1 {
			t.Fatalf("events %+v, want one call_started", evs)
		}
	})
}

func TestCallRingTimeoutAndRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := callWorld(t, db)
		ringing := w.InPhase(desk.PhaseHuman)
		talking := w.InPhase(desk.PhaseHuman)
		elsewhere := w.InPhase(desk.PhaseHuman)
		r, err := w.S.StartCall(w.Ctx, store.CallStart{ConversationID: ringing.ID, By: desk.PartyCustomer, Media: desk.MediaAudio, Node: "n1"})
		if err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(10 * time.Second)
		tk, err := w.S.StartCall(w.Ctx, store.CallStart{ConversationID: talking.ID, By: desk.PartyAgent, AgentID: w.Agent.ID, Media: desk.MediaAudio, Node: "n1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.S.MoveCall(w.Ctx, store.CallMove{CallID: tk.ID, Act: desk.ActAccept, By: desk.PartyCustomer, ConversationID: talking.ID}); err != nil {
			t.Fatal(err)
		}
		ot, err := w.S.StartCall(w.Ctx, store.CallStart{ConversationID: elsewhere.ID, By: desk.PartyAgent, AgentID: w.Agent.ID, Media: desk.MediaAudio, Node: "n2"})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := w.S.SweepCalls(w.Ctx); err != nil || n != 0 {
			t.Fatalf("early sweep: %d %v", n, err)
		}
		db.Clock.Advance(desk.CallRingTimeout - 9*time.Second)
		if n, err := w.S.SweepCalls(w.Ctx); err != nil || n != 1 {
			t.Fatalf("sweep: %d %v, want the first call missed", n, err)
		}
		if c, _ := w.S.GetCall(w.Ctx, r.ID); c.State != desk.CallMissed {
			t.Fatalf("rung out call %s, want missed", c.State)
		}
		if evs := callEvents(t, w, ringing.ID); len(evs) != 2 || evs[1].Type != desk.EventCallMissed {
			t.Fatalf("events %+v, want started then missed", evs)
		}
		// Node n1 restarts: its live call ends; n2's is not its business.
		if n, err := w.S.EndNodeCalls(w.Ctx, "n1", db.Clock.Now().Add(-time.Hour)); err != nil || n != 1 {
			t.Fatalf("restart cleanup: %d %v", n, err)
		}
		c, _ := w.S.GetCall(w.Ctx, tk.ID)
		if c.State != desk.CallEnded || c.EndReason != desk.EndNodeRestart {
			t.Fatalf("n1's call %+v, want ended by node_restart", c)
		}
		if c, _ := w.S.GetCall(w.Ctx, ot.ID); c.State != desk.CallRinging {
			t.Fatalf("n2's call %s, want still ringing", c.State)
		}
		// A call whose agent's node keeps renewing it lives on; once no node
		// renews it (the node restarted, or died) the sweeper ends it.
		db.Clock.Advance(time.Minute)
		if err := w.S.KeepCallsAlive(w.Ctx, []string{w.Agent.ID}); err != nil {
			t.Fatal(err)
		}
		if n, err := w.S.EndNodeCalls(w.Ctx, "", db.Clock.Now().Add(-30*time.Second)); err != nil || n != 0 {
			t.Fatalf("renewed call ended: %d %v", n, err)
		}
		db.Clock.Advance(time.Minute)
		if n, err := w.S.EndNodeCalls(w.Ctx, "", db.Clock.Now().Add(-30*time.Second)); err != nil || n != 1 {
			t.Fatalf("stale cleanup: %d %v", n, err)
		}
		if c, _ := w.S.GetCall(w.Ctx, ot.ID); c.State != desk.CallCancelled || c.EndReason != desk.EndNodeRestart {
			t.Fatalf("stale call %+v, want cancelled by node_restart", c)
		}
	})
}

// An external bot is told of each call change through its webhook, like
// its other events.
func TestCallEventsReachTheBotWebhook(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{WebhookURL: "https://bot.example/hook"})
		setCalls(t, w, desk.CallSettings{Mode: desk.CallsAudio})
		conv := w.InPhase(desk.PhaseHuman)
		botEvents := func() []string {
			var out []string
			rows, err := w.Raw().QueryContext(w.Ctx, `SELECT payload FROM outbox WHERE conversation_id = $1 AND kind = 'bot_event' ORDER BY created_at, id`, conv.ID)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var p string
				_ = rows.Scan(&p)
				if strings.Contains(p, `"conversation.call"`) {
					out = append(out, p)
				}
			}
			return out
		}
		c, err := w.S.StartCall(w.Ctx, store.CallStart{ConversationID: conv.ID, By: desk.PartyAgent, AgentID: w.Agent.ID, Media: desk.MediaAudio})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.S.MoveCall(w.Ctx, store.CallMove{CallID: c.ID, Act: desk.ActDecline, By: desk.PartyCustomer, ConversationID: conv.ID}); err != nil {
			t.Fatal(err)
		}
		got := botEvents()
		if len(got) != 2 || !strings.Contains(got[0], `"event":"call_started"`) || !strings.Contains(got[1], `"event":"call_declined"`) {
			t.Fatalf("bot events %v, want call_started then call_declined", got)
		}
	})
}

// No call outlives its conversation: resolving it ends the call.
func TestCallEndsWhenTheConversationCloses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := callWorld(t, db)
		conv := w.InPhase(desk.PhaseHuman)
		c, err := w.S.StartCall(w.Ctx, store.CallStart{ConversationID: conv.ID, By: desk.PartyAgent, AgentID: w.Agent.ID, Media: desk.MediaAudio})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.S.MoveCall(w.Ctx, store.CallMove{CallID: c.ID, Act: desk.ActAccept, By: desk.PartyCustomer, ConversationID: conv.ID}); err != nil {
			t.Fatal(err)
		}
		w.Check(w.S.Resolve(w.Ctx, w.As(w.Agent), conv.ID))
		if c, _ = w.S.GetCall(w.Ctx, c.ID); c.State != desk.CallEnded || c.EndReason != desk.EndConversationClosed {
			t.Fatalf("call after resolve %+v, want ended by conversation_closed", c)
		}
	})
}
