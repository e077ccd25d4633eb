package store_test

import (
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// qLastEvent is the type of the latest event message of a conversation.
func qLastEvent(t *testing.T, w *qWorld, u desk.User, id string) desk.EventType {
	t.Helper()
	ms, err := w.s.ListMessages(w.ctx, desk.UserActor(u), id, store.MessagePage{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Event != nil {
			return ms[i].Event.Type
		}
	}
	return ""
}

func TestBlockContactByIDClosesItsOpenConversation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ch := w.channel(a, "api")
		ana, bea := w.user("Ana", desk.RoleAgent, a), w.user("Bea", desk.RoleAgent, a)
		id := w.open(ch, "Carla", desk.PhaseHuman, ana, nil)
		contactID := w.get(ana, id).Contact.ID

		// Bea neither owns nor supervises it: refused, nothing changes.
		_, err := w.s.BlockContactByID(w.ctx, desk.UserActor(bea), contactID)
		wantCode(t, err, desk.CodeNotFound)
		if ct, _ := w.s.GetContact(w.ctx, contactID); ct.Blocked {
			t.Fatal("a refused block blocked the contact")
		}

		ct, err := w.s.BlockContactByID(w.ctx, desk.UserActor(ana), contactID)
		if err != nil || !ct.Blocked {
			t.Fatalf("BlockContactByID = blocked %v, %v", ct.Blocked, err)
		}
		c := w.get(ana, id)
		if c.Phase != desk.PhaseClosed || c.ClosedReason == nil || *c.ClosedReason != "blocked" {
			t.Errorf("conversation: phase %s closed_reason %v", c.Phase, c.ClosedReason)
		}
		if ev := qLastEvent(t, w, ana, id); ev != desk.EventBlocked {
			t.Errorf("last event = %s, want blocked", ev)
		}
		// Later messages are kept, flagged, and open nothing.
		res, err := w.s.Inbound(w.ctx, ch.ID, store.InboundContact{ExternalID: "ext-Carla"}, store.InboundMessage{ExternalID: "late", Text: "hello?"})
		if err != nil || !res.Blocked || res.Opened || res.ConversationID != id {
			t.Errorf("inbound after block = %+v, %v", res, err)
		}
	})
}

func TestBlockContactByIDIsRefusedDuringTheLock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ana := w.user("Ana", desk.RoleAgent, a)
		id := w.sayAs(w.channel(a, "api"), "Carla", "hi")
		w.handover(id, nil)
		if _, err := w.s.Assign(w.ctx, desk.UserActor(ana), id, store.AssignInput{}); err != nil {
			t.Fatal(err)
		}
		contactID := w.get(ana, id).Contact.ID
		_, err := w.s.BlockContactByID(w.ctx, desk.UserActor(ana), contactID)
		wantCode(t, err, desk.CodeConversationLocked)
		w.drain()
		if _, err := w.s.BlockContactByID(w.ctx, desk.UserActor(ana), contactID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestBlockContactWithNothingOpenNeedsASupervisor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ch := w.channel(a, "api")
		ana, sup := w.user("Ana", desk.RoleAgent, a), w.user("Sup", desk.RoleSupervisor, a)
		id := w.open(ch, "Carla", desk.PhaseClosed, ana, nil)
		contactID := w.get(ana, id).Contact.ID
		_, err := w.s.BlockContactByID(w.ctx, desk.UserActor(ana), contactID)
		wantCode(t, err, desk.CodeForbidden)
		if ct, _ := w.s.GetContact(w.ctx, contactID); ct.Blocked {
			t.Fatal("an agent blocked a contact with nothing open")
		}
		if ct, err := w.s.BlockContactByID(w.ctx, desk.UserActor(sup), contactID); err != nil || !ct.Blocked {
			t.Fatalf("supervisor's block = %v, %v", ct.Blocked, err)
		}
		if c := w.get(sup, id); c.Phase != desk.PhaseClosed || *c.ClosedReason != "resolved" {
			t.Errorf("the closed conversation changed: %s %v", c.Phase, *c.ClosedReason)
		}
		res, err := w.s.Inbound(w.ctx, ch.ID, store.InboundContact{ExternalID: "ext-Carla"}, store.InboundMessage{ExternalID: "b1", Text: "hi"})
		if err != nil || !res.Blocked || res.Opened {
			t.Fatalf("inbound while blocked = %+v, %v", res, err)
		}

		ct, err := w.s.UnblockContact(w.ctx, desk.UserActor(sup), contactID)
		if err != nil || ct.Blocked {
			t.Fatalf("UnblockContact = %v, %v", ct.Blocked, err)
		}
		res, err = w.s.Inbound(w.ctx, ch.ID, store.InboundContact{ExternalID: "ext-Carla"}, store.InboundMessage{ExternalID: "b2", Text: "back"})
		if err != nil || res.Blocked || !res.Opened || res.ConversationID == id {
			t.Errorf("inbound after unblock = %+v, %v", res, err)
		}
		_, err = w.s.BlockContactByID(w.ctx, desk.UserActor(sup), "missing")
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestVisibleContactIsScopedByBot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a, b := w.bot("A"), w.bot("B")
		ana, adm := w.user("Ana", desk.RoleAgent, a), w.user("Adm", desk.RoleAdmin)
		ofA := w.get(adm, w.sayAs(w.channel(a, "api A"), "Carla", "hi")).Contact.ID
		ofB := w.get(adm, w.sayAs(w.channel(b, "api B"), "Pedro", "hi")).Contact.ID
		for _, tc := range []struct {
			who     string
			actor   desk.Actor
			sees    []string
			notSees []string
		}{
			{"agent of A", desk.UserActor(ana), []string{ofA}, []string{ofB}},
			{"admin", desk.UserActor(adm), []string{ofA, ofB}, nil},
			{"bot token of B", desk.Actor{Integration: true, BotID: b.ID}, []string{ofB}, []string{ofA}},
			{"integration token", desk.Actor{Integration: true}, []string{ofA, ofB}, nil},
		} {
			for _, id := range tc.sees {
				if c, err := w.s.VisibleContact(w.ctx, tc.actor, id); err != nil || c.ID != id {
					t.Errorf("%s: VisibleContact(%s) = %v, %v", tc.who, id, c.ID, err)
				}
			}
			for _, id := range tc.notSees {
				_, err := w.s.VisibleContact(w.ctx, tc.actor, id)
				wantCode(t, err, desk.CodeNotFound)
			}
		}
		_, err := w.s.UnblockContact(w.ctx, desk.UserActor(ana), ofB)
		wantCode(t, err, desk.CodeNotFound)
		_, err = w.s.VisibleContact(w.ctx, desk.UserActor(adm), "missing")
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestCanSeeUploadFollowsItsConversation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a, b := w.bot("A"), w.bot("B")
		ana, bea := w.user("Ana", desk.RoleAgent, a), w.user("Bea", desk.RoleAgent, a)
		aud, bob := w.user("Aud", desk.RoleAuditor, a), w.user("Bob", desk.RoleAgent, b)
		id := w.open(w.channel(a, "api"), "Carla", desk.PhaseHuman, ana, nil)
		up := func(name string) desk.Attachment {
			att, err := w.s.CreateUpload(w.ctx, store.Upload{Attachment: desk.Attachment{Name: name, Mime: "image/png", Size: 3},
				Path: "/tmp/" + name, CreatedBy: ana.ID})
			if err != nil {
				t.Fatal(err)
			}
			return att
		}
		sent, loose := up("sent.png"), up("loose.png")
		m, err := w.s.Send(w.ctx, desk.UserActor(ana), id, store.SendInput{AttachmentIDs: []string{sent.ID}})
		if err != nil || m.Kind != desk.KindImage {
			t.Fatalf("Send attachment = %v, %v", m.Kind, err)
		}
		for _, tc := range []struct {
			who   desk.User
			id    string
			wants bool
		}{
			{ana, sent.ID, true}, {aud, sent.ID, true}, {bea, sent.ID, false}, {bob, sent.ID, false},
			{ana, loose.ID, false}, {ana, "missing", false},
			// LIKE wildcards in an id match nothing but themselves.
			{ana, "%", false}, {ana, sent.ID[:len(sent.ID)-1] + "_", false},
		} {
			got, err := w.s.CanSeeUpload(w.ctx, desk.UserActor(tc.who), tc.id)
			if err != nil || got != tc.wants {
				t.Errorf("%s CanSeeUpload(%s) = %v, %v; want %v", tc.who.Name, tc.id, got, err, tc.wants)
			}
		}
	})
}
