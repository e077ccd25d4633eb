package store_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// wantEvent fails unless m is a timeline event of typ by actor (nil: the
// bot or the system), from → to, with reason (nil: none) and note.
func wantEvent(t *testing.T, m desk.Message, typ desk.EventType, actor *desk.User, from, to string, reason *desk.Reason, note string) {
	t.Helper()
	if m.Kind != desk.KindEvent || m.Event == nil {
		t.Fatalf("message %+v is not an event", m)
	}
	ev := m.Event
	var wantActor *string
	if actor != nil {
		wantActor = &actor.ID
		if m.Author.Type != desk.AuthorAgent || m.Author.ID == nil || *m.Author.ID != actor.ID || m.Author.Name != actor.Name {
			t.Fatalf("event author = %+v, want %s", m.Author, actor.Name)
		}
	}
	var wantReason *desk.ReasonRef
	if reason != nil {
		wantReason = &desk.ReasonRef{ID: reason.ID, Name: reason.Name}
	}
	want := desk.Event{Type: typ, ActorID: wantActor, From: from, To: to, Reason: wantReason, Note: note}
	if !reflect.DeepEqual(*ev, want) {
		t.Fatalf("event = %+v (actor %v, reason %+v), want %+v", *ev, deref(ev.ActorID), ev.Reason, want)
	}
	if m.Text == "" || m.Status != desk.StatusSent {
		t.Fatalf("event message text %q status %s", m.Text, m.Status)
	}
}

// wantNotice fails unless m is a pending customer notice with text that
// has exactly one outbox row (lock-bound when locked).
func wantNotice(t *testing.T, w *World, m desk.Message, text string, locked bool) {
	t.Helper()
	if m.Author.Type != desk.AuthorSystem || m.Kind != desk.KindText || m.Text != text || m.Status != desk.StatusPending {
		t.Fatalf("notice = %+v, want pending system text %q", m, text)
	}
	var rows []OutboxRow
	for _, r := range w.Outbox(m.ConversationID) {
		if r.MessageID == m.ID {
			rows = append(rows, r)
		}
	}
	if len(rows) != 1 || rows[0].Kind != store.OutboxMessage || rows[0].Status != "pending" || (rows[0].LockID != "") != locked {
		t.Fatalf("outbox rows of the notice = %+v, want one pending message (lock-bound: %v)", rows, locked)
	}
}

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func TestHandoverGivesProtocolTeamAndQueuedNotice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		c := w.InPhase(desk.PhaseBot)
		if c.Protocol != nil {
			t.Fatalf("a bot conversation has protocol %s", *c.Protocol)
		}
		db.Clock.Advance(time.Minute)
		got := w.Check(w.S.Handover(w.Ctx, w.BotActor(), c.ID, store.HandoverInput{TeamID: w.Sales.ID, Note: "asked for a human"}))
		now := db.Clock.Now()
		if got.Phase != desk.PhaseWaiting || got.Protocol == nil || *got.Protocol == "" || deref(got.TeamID) != w.Sales.ID ||
			got.AssigneeID != nil || got.WaitingSince == nil || !got.WaitingSince.Equal(now) || got.LockedUntil != nil {
			t.Fatalf("after handover: %+v", got)
		}
		if !reflect.DeepEqual(w.Get(c.ID), got) {
			t.Fatalf("stored %+v, returned %+v", w.Get(c.ID), got)
		}
		last := w.Last(c.ID, 2)
		wantEvent(t, last[0], desk.EventHandover, nil, "bot", w.Sales.ID, nil, "asked for a human")
		if last[0].Author.Type != desk.AuthorBot {
			t.Fatalf("handover by the bot token written by %+v", last[0].Author)
		}
		wantNotice(t, w, last[1], "An agent will be with you shortly.", false)

		// The protocol finds the conversation, today and after it closed.
		find := func() {
			t.Helper()
			list, _, err := w.S.ListConversations(w.Ctx, w.As(w.Supervisor), store.ConversationFilter{Protocol: *got.Protocol, AllPhases: true})
			if err != nil || len(list) != 1 || list[0].ID != c.ID {
				t.Fatalf("protocol %s finds %+v, %v", *got.Protocol, list, err)
			}
		}
		find()
		w.Check(w.S.Resolve(w.Ctx, w.As(w.Supervisor), c.ID))
		find()
	})
}

func TestAssignGivesTheConversationAndTellsTheCustomer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		for _, tc := range []struct {
			name   string
			by     desk.User
			target desk.User
		}{
			{"agent takes it itself", w.Agent, w.Agent},
			{"supervisor gives it to an agent", w.Supervisor, w.Agent2},
			{"auditor takes a queued one itself", w.Auditor, w.Auditor},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := w.InPhase(desk.PhaseWaiting)
				in := store.AssignInput{}
				if tc.target.ID != tc.by.ID {
					in.AgentID = tc.target.ID
				}
				got := w.Check(w.S.Assign(w.Ctx, w.As(tc.by), c.ID, in))
				until := db.Clock.Now().Add(30 * time.Second)
				if got.Phase != desk.PhaseHuman || deref(got.AssigneeID) != tc.target.ID || deref(got.Protocol) != deref(c.Protocol) ||
					got.LockedUntil == nil || !got.LockedUntil.Equal(until) {
					t.Fatalf("after assign: %+v", got)
				}
				last := w.Last(c.ID, 2)
				wantEvent(t, last[0], desk.EventAssigned, &tc.by, "waiting", tc.target.ID, nil, "")
				wantNotice(t, w, last[1], "You are being transferred to Agent "+tc.target.Name, true)
			})
		}
	})
}

func TestTakeoverGivesTheProtocol(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		seen := map[string]bool{}
		for _, by := range []desk.User{w.Auditor, w.Supervisor, w.Admin} {
			c := w.InPhase(desk.PhaseBot)
			got := w.Check(w.S.Assign(w.Ctx, w.As(by), c.ID, store.AssignInput{}))
			if got.Phase != desk.PhaseHuman || deref(got.AssigneeID) != by.ID || got.Protocol == nil || got.LockedUntil == nil {
				t.Fatalf("%s took over: %+v", by.Name, got)
			}
			if seen[*got.Protocol] {
				t.Fatalf("protocol %s given twice", *got.Protocol)
			}
			seen[*got.Protocol] = true
			last := w.Last(c.ID, 2)
			wantEvent(t, last[0], desk.EventAssigned, &by, "bot", by.ID, nil, "")
			wantNotice(t, w, last[1], "You are being transferred to Agent "+by.Name, true)
		}
		// An agent does not see bot-phase conversations, so cannot take one over.
		c := w.InPhase(desk.PhaseBot)
		_, err := w.S.Assign(w.Ctx, w.As(w.Agent), c.ID, store.AssignInput{})
		wantCode(t, err, desk.CodeNotFound)
		// Handed over later, it keeps counting: protocols never repeat.
		p := w.Check(w.S.Handover(w.Ctx, w.BotActor(), c.ID, store.HandoverInput{})).Protocol
		if p == nil || seen[*p] {
			t.Fatalf("handover protocol %v repeats one of %v", deref(p), seen)
		}
	})
}

func TestUnassignReturnsToTheQueueKeepingTheTeam(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		c := w.InPhase(desk.PhaseBot)
		w.Check(w.S.Handover(w.Ctx, w.BotActor(), c.ID, store.HandoverInput{TeamID: w.Sales.ID}))
		w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), c.ID, store.AssignInput{}))
		db.Clock.Advance(time.Minute)
		before := len(w.Messages(c.ID))
		got := w.Check(w.S.Unassign(w.Ctx, w.As(w.Agent), c.ID))
		if got.Phase != desk.PhaseWaiting || got.AssigneeID != nil || deref(got.TeamID) != w.Sales.ID ||
			got.WaitingSince == nil || !got.WaitingSince.Equal(db.Clock.Now()) {
			t.Fatalf("after unassign: %+v", got)
		}
		msgs := w.Messages(c.ID)
		if len(msgs) != before+1 {
			t.Fatalf("unassign wrote %d messages, want only its event", len(msgs)-before)
		}
		wantEvent(t, msgs[len(msgs)-1], desk.EventUnassigned, &w.Agent, w.Agent.ID, w.Sales.ID, nil, "")

		// A supervisor may unassign someone else's; an auditor may not.
		w.Check(w.S.Assign(w.Ctx, w.As(w.Agent2), c.ID, store.AssignInput{}))
		_, err := w.S.Unassign(w.Ctx, w.As(w.Auditor), c.ID)
		wantCode(t, err, desk.CodeForbidden)
		w.Check(w.S.Unassign(w.Ctx, w.As(w.Supervisor), c.ID))
		wantEvent(t, w.Last(c.ID, 1)[0], desk.EventUnassigned, &w.Supervisor, w.Agent2.ID, w.Sales.ID, nil, "")
	})
}

func TestTransferToAgentKeepsItHumanWithReasonAndNote(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		c := w.InPhase(desk.PhaseHuman)
		got := w.Check(w.S.Transfer(w.Ctx, w.As(w.Agent), c.ID, store.TransferInput{AgentID: w.Agent2.ID, ReasonID: w.Reason.ID, Note: "speaks German"}))
		if got.Phase != desk.PhaseHuman || deref(got.AssigneeID) != w.Agent2.ID || got.LockedUntil == nil ||
			deref(got.Protocol) != deref(c.Protocol) {
			t.Fatalf("after transfer: %+v", got)
		}
		last := w.Last(c.ID, 2)
		wantEvent(t, last[0], desk.EventTransfer, &w.Agent, w.Agent.ID, w.Agent2.ID, &w.Reason, "speaks German")
		wantNotice(t, w, last[1], "You are being transferred to Agent Bia", true)
	})
}

func TestTransferToTeamQueuesItForThatTeam(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		c := w.InPhase(desk.PhaseHuman)
		db.Clock.Advance(time.Minute)
		got := w.Check(w.S.Transfer(w.Ctx, w.As(w.Supervisor), c.ID, store.TransferInput{TeamID: w.Support.ID, ReasonID: w.Reason.ID}))
		if got.Phase != desk.PhaseWaiting || got.AssigneeID != nil || deref(got.TeamID) != w.Support.ID || got.LockedUntil == nil ||
			got.WaitingSince == nil || !got.WaitingSince.Equal(db.Clock.Now()) {
			t.Fatalf("after transfer to team: %+v", got)
		}
		last := w.Last(c.ID, 2)
		wantEvent(t, last[0], desk.EventTransfer, &w.Supervisor, w.Agent.ID, w.Support.ID, &w.Reason, "")
		wantNotice(t, w, last[1], "An agent will be with you shortly.", true)
	})
}

func TestResolveClosesAndSaysResolved(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		for _, tc := range []struct {
			name  string
			phase desk.Phase
			by    desk.User
			from  string
		}{
			{"assignee resolves its own", desk.PhaseHuman, w.Agent, w.Agent.ID},
			{"supervisor resolves from the queue", desk.PhaseWaiting, w.Supervisor, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := w.InPhase(tc.phase)
				db.Clock.Advance(time.Minute)
				got := w.Check(w.S.Resolve(w.Ctx, w.As(tc.by), c.ID))
				if got.Phase != desk.PhaseClosed || deref(got.ClosedReason) != "resolved" || got.ClosedAt == nil ||
					!got.ClosedAt.Equal(db.Clock.Now()) || got.LockedUntil != nil {
					t.Fatalf("after resolve: %+v", got)
				}
				last := w.Last(c.ID, 2)
				wantEvent(t, last[0], desk.EventResolved, &tc.by, tc.from, "", nil, "")
				wantNotice(t, w, last[1], "Resolved", false)
			})
		}
		// An agent may not resolve a queued conversation: it is nobody's yet.
		_, err := w.S.Resolve(w.Ctx, w.As(w.Agent), w.InPhase(desk.PhaseWaiting).ID)
		wantCode(t, err, desk.CodeForbidden)
	})
}

func TestBlockContactClosesAndLaterInboundOpensNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		contact := w.NewContact()
		first := w.Inbound(w.API, contact, "hi")
		w.Check(w.S.Handover(w.Ctx, w.BotActor(), first.ConversationID, store.HandoverInput{}))
		w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), first.ConversationID, store.AssignInput{}))
		w.Deliver()
		got := w.Check(w.S.BlockContact(w.Ctx, w.As(w.Agent), first.ConversationID))
		if got.Phase != desk.PhaseClosed || deref(got.ClosedReason) != "blocked" {
			t.Fatalf("after block: %+v", got)
		}
		wantEvent(t, w.Last(got.ID, 1)[0], desk.EventBlocked, &w.Agent, w.Agent.ID, "", nil, "")
		if ct, err := w.S.GetContact(w.Ctx, got.Contact.ID); err != nil || !ct.Blocked {
			t.Fatalf("contact = %+v, %v; want blocked", ct, err)
		}

		later := w.Inbound(w.API, contact, "let me in")
		if !later.Blocked || later.Opened || later.ConversationID != got.ID || later.Phase != desk.PhaseClosed {
			t.Fatalf("inbound from a blocked contact: %+v", later)
		}
		m := w.Last(got.ID, 1)[0]
		if m.ID != later.MessageID || m.Text != "let me in" || deref(m.Error) != "contact_blocked" || m.Author.Type != desk.AuthorContact {
			t.Fatalf("stored message %+v, want it flagged contact_blocked", m)
		}
		list, _, err := w.S.ListConversations(w.Ctx, desk.SystemActor, store.ConversationFilter{ContactID: got.Contact.ID, AllPhases: true})
		if err != nil || len(list) != 1 || list[0].Phase != desk.PhaseClosed {
			t.Fatalf("contact's conversations = %+v, %v; want the one closed", list, err)
		}
	})
}

// TestSeqIsGaplessAcrossTheTimeline: every change of a conversation takes
// the next seq of its feed (1, 2, 3, ... with no gaps), and each message
// sits at the seq of its own message.created entry.
func TestSeqIsGaplessAcrossTheTimeline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := NewWorld(t, db, WorldOptions{})
		c := w.InPhase(desk.PhaseWaiting)
		w.CustomerSays(c, "are you there?")
		w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), c.ID, store.AssignInput{}))
		if _, err := w.S.AddNote(w.Ctx, w.As(w.Agent), c.ID, "check the invoice"); err != nil {
			t.Fatal(err)
		}
		w.Deliver() // status updates and the lock's end take seqs too
		if _, err := w.S.Send(w.Ctx, w.As(w.Agent), c.ID, store.SendInput{Text: "Let me see"}); err != nil {
			t.Fatal(err)
		}
		w.Check(w.S.Transfer(w.Ctx, w.As(w.Agent), c.ID, store.TransferInput{TeamID: w.Support.ID, ReasonID: w.Reason.ID}))
		w.Deliver()
		w.Check(w.S.Resolve(w.Ctx, w.As(w.Supervisor), c.ID))

		evs, final := w.Events(c.ID), w.Get(c.ID)
		if int64(len(evs)) != final.Seq {
			t.Fatalf("%d events, conversation seq %d", len(evs), final.Seq)
		}
		created := map[int64]string{}
		for i, e := range evs {
			if e.Seq != int64(i+1) {
				t.Fatalf("feed has a gap at %d: %+v", i+1, evs)
			}
			if e.Type == desk.ChangeMessageCreated {
				created[e.Seq] = e.MessageID
			}
		}
		// Messages carry an increasing subsequence of the feed: each at the
		// seq of its own message.created entry.
		msgs := w.Messages(c.ID)
		if len(msgs) != len(created) || len(msgs) < 12 {
			t.Fatalf("%d messages, %d message.created events", len(msgs), len(created))
		}
		for i, m := range msgs {
			if created[m.Seq] != m.ID || i > 0 && m.Seq <= msgs[i-1].Seq {
				t.Fatalf("message %+v does not match its event", m)
			}
		}
	})
}
