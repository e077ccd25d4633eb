package store_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// qUnread fails unless u sees conversation id with the given read state,
// both when opening it and in the list.
func qUnread(t *testing.T, w *qWorld, u desk.User, id string, count int, marked bool) {
	t.Helper()
	c := w.get(u, id)
	if c.UnreadCount != count || c.MarkedUnread != marked {
		t.Errorf("%s opens it: unread_count %d marked_unread %v, want %d %v", u.Name, c.UnreadCount, c.MarkedUnread, count, marked)
	}
	cs, _, err := w.s.ListConversations(w.ctx, desk.UserActor(u), store.ConversationFilter{AllPhases: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.ID == id && (c.UnreadCount != count || c.MarkedUnread != marked) {
			t.Errorf("%s's list: unread_count %d marked_unread %v, want %d %v", u.Name, c.UnreadCount, c.MarkedUnread, count, marked)
		}
	}
}

func TestReadStateIsPerUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		b := w.bot("A")
		ch := w.channel(b, "api")
		ana, bea := w.user("Ana", desk.RoleAgent, b), w.user("Bea", desk.RoleAgent, b)
		id := w.sayAs(ch, "Carla", "hi")
		w.sayAs(ch, "Carla", "anyone?")
		w.handover(id, nil)
		qUnread(t, w, ana, id, 2, false)
		qUnread(t, w, bea, id, 2, false)
		if c := w.read(ana, id); c.UnreadCount != 0 || c.MarkedUnread {
			t.Errorf("MarkRead returned unread_count %d marked %v", c.UnreadCount, c.MarkedUnread)
		}
		qUnread(t, w, ana, id, 0, false)
		qUnread(t, w, bea, id, 2, false)
		yes := true
		if got := w.list(desk.UserActor(ana), store.ConversationFilter{Unread: &yes}); len(got) != 0 {
			t.Errorf("Ana's unread list = %v, want empty", got)
		}
		qSameSet(t, "Bea's unread list", nil, w.list(desk.UserActor(bea), store.ConversationFilter{Unread: &yes}), id)
	})
}

func TestCustomerMessageAfterReadIsUnread(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		b := w.bot("A")
		ch := w.channel(b, "api")
		ana := w.user("Ana", desk.RoleAgent, b)
		id := w.sayAs(ch, "Carla", "hi")
		w.handover(id, nil)
		w.read(ana, id)
		w.advance(time.Minute)
		w.sayAs(ch, "Carla", "still there?")
		qUnread(t, w, ana, id, 1, false)
		w.sayAs(ch, "Carla", "hello??")
		qUnread(t, w, ana, id, 2, false)
		w.read(ana, id)
		qUnread(t, w, ana, id, 0, false)
	})
}

func TestMarkUnreadHoldsUntilRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		b := w.bot("A")
		ch := w.channel(b, "api")
		ana, bea := w.user("Ana", desk.RoleAgent, b), w.user("Bea", desk.RoleAgent, b)
		id := w.sayAs(ch, "Carla", "hi")
		w.handover(id, nil)
		w.read(ana, id)
		c, err := w.s.MarkUnread(w.ctx, desk.UserActor(ana), id)
		if err != nil || !c.MarkedUnread || c.UnreadCount != 0 {
			t.Fatalf("MarkUnread = marked %v unread %d, %v", c.MarkedUnread, c.UnreadCount, err)
		}
		// Opening (reading the conversation), listing, a new customer
		// message: the mark holds, and it is Ana's alone.
		qUnread(t, w, ana, id, 0, true)
		qUnread(t, w, ana, id, 0, true)
		yes, no := true, false
		qSameSet(t, "Ana's unread list", nil, w.list(desk.UserActor(ana), store.ConversationFilter{Unread: &yes}), id)
		qSameSet(t, "Ana's read list", nil, w.list(desk.UserActor(ana), store.ConversationFilter{Unread: &no}))
		w.sayAs(ch, "Carla", "more")
		qUnread(t, w, ana, id, 1, true)
		qUnread(t, w, bea, id, 2, false)
		w.read(ana, id)
		qUnread(t, w, ana, id, 0, false)
		// Marking unread a conversation never opened keeps its count.
		if _, err := w.s.MarkUnread(w.ctx, desk.UserActor(bea), id); err != nil {
			t.Fatal(err)
		}
		qUnread(t, w, bea, id, 2, true)
	})
}

func TestNotesEventsAndAgentMessagesAreNotUnread(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		b := w.bot("A")
		ch := w.channel(b, "api")
		ana, sup := w.user("Ana", desk.RoleAgent, b), w.user("Sup", desk.RoleSupervisor, b)
		id := w.sayAs(ch, "Carla", "hi")
		// Handover and assign add events and customer notices; Ana then
		// writes, notes, tags. Only Carla's one message is unread for a
		// supervisor who never opened it.
		w.handover(id, nil)
		w.assign(ana, id)
		w.read(ana, id)
		w.reply(ana, id, "Hello Carla")
		if _, err := w.s.AddNote(w.ctx, desk.UserActor(ana), id, "VIP customer"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.AddTag(w.ctx, desk.UserActor(ana), id, w.tag("vip").ID); err != nil {
			t.Fatal(err)
		}
		qUnread(t, w, ana, id, 0, false)
		qUnread(t, w, sup, id, 1, false)
		if _, err := w.s.AddNote(w.ctx, desk.UserActor(sup), id, "watch this one"); err != nil {
			t.Fatal(err)
		}
		qUnread(t, w, ana, id, 0, false)
	})
}

func TestReadStateBelongsToVisibleConversationsOfUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a, other := w.bot("A"), w.bot("B")
		ana, bea := w.user("Ana", desk.RoleAgent, a), w.user("Bea", desk.RoleAgent, a)
		bob := w.user("Bob", desk.RoleAgent, other)
		id := w.open(w.channel(a, "api"), "Carla", desk.PhaseHuman, ana, nil)
		_, err := w.s.MarkRead(w.ctx, desk.Actor{Integration: true, BotID: a.ID}, id)
		wantCode(t, err, desk.CodeForbidden)
		for _, u := range []desk.User{bea, bob} {
			_, err = w.s.MarkRead(w.ctx, desk.UserActor(u), id)
			wantCode(t, err, desk.CodeNotFound)
			_, err = w.s.MarkUnread(w.ctx, desk.UserActor(u), id)
			wantCode(t, err, desk.CodeNotFound)
		}
		_, err = w.s.MarkRead(w.ctx, desk.UserActor(ana), "missing")
		wantCode(t, err, desk.CodeNotFound)
	})
}
