package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// qWorld builds the desk for the query, read-state, supervision, report
// and contact tests through the store's own API, so every row is one the
// product itself could have written. Its names start with q so they never
// meet the lifecycle suite's fixture.
type qWorld struct {
	t   *testing.T
	db  *storetest.DB
	s   *store.Store
	ctx context.Context
	out *jobs.Outbox
	msg int // customer message ids
}

func qNew(t *testing.T, db *storetest.DB) *qWorld {
	t.Helper()
	ok := jobs.SenderFunc(func(context.Context, store.Delivery) (string, error) { return "", nil })
	return &qWorld{t: t, db: db, s: db.Store, ctx: context.Background(), out: &jobs.Outbox{
		Store:  db.Store,
		Routes: jobs.Routes{Channels: map[desk.ChannelType]jobs.Sender{desk.ChannelAPI: ok}, BotEvent: ok},
		Log:    slog.New(slog.DiscardHandler),
	}}
}

// seed builds rows on the world's store, reporting to its test.
func (w *qWorld) seed() storetest.Seed { return storetest.Seed{T: w.t, S: w.s, Ctx: w.ctx} }

// bot makes a bot with a flow, so new conversations stay in phase bot
// until something hands them over.
func (w *qWorld) bot(name string) desk.Bot {
	w.t.Helper()
	return w.seed().Bot(desk.Bot{Name: name, Flow: json.RawMessage(`{"start":"menu","nodes":{"menu":{"type":"end"}}}`)})
}

func (w *qWorld) channel(b desk.Bot, name string) desk.Channel {
	w.t.Helper()
	return w.seed().APIChannel(b, name)
}

// user makes an online user, member of bots.
func (w *qWorld) user(name string, role desk.Role, bots ...desk.Bot) desk.User {
	w.t.Helper()
	ids := []string{}
	for _, b := range bots {
		ids = append(ids, b.ID)
	}
	sd := w.seed()
	u := sd.User(desk.User{Name: name, Email: strings.ToLower(name) + "@q.example", Role: role, BotIDs: ids}, "")
	return sd.Status(u, desk.StatusOnline, "")
}

func (w *qWorld) team(name string, b desk.Bot, members ...desk.User) desk.Team {
	w.t.Helper()
	return w.seed().Team(desk.Team{Name: name, BotID: b.ID, MemberIDs: storetest.IDs(members...)})
}

func (w *qWorld) reason(name string) desk.Reason {
	w.t.Helper()
	return w.seed().Reason(desk.Reason{Name: name})
}

func (w *qWorld) tag(name string) desk.Tag {
	w.t.Helper()
	return w.seed().Tag(desk.Tag{Name: name})
}

// say stores a customer message and returns its conversation.
func (w *qWorld) say(ch desk.Channel, who store.InboundContact, text string) string {
	w.t.Helper()
	w.msg++
	res, err := w.s.Inbound(w.ctx, ch.ID, who, store.InboundMessage{ExternalID: fmt.Sprintf("m%d", w.msg), Text: text})
	if err != nil {
		w.t.Fatalf("Inbound %q: %v", text, err)
	}
	return res.ConversationID
}

// sayAs is say for a contact known by name alone.
func (w *qWorld) sayAs(ch desk.Channel, name, text string) string {
	w.t.Helper()
	return w.say(ch, store.InboundContact{ExternalID: "ext-" + name, Name: name}, text)
}

func (w *qWorld) handover(id string, team *desk.Team) {
	w.t.Helper()
	in := store.HandoverInput{}
	if team != nil {
		in.TeamID = team.ID
	}
	if _, err := w.s.Handover(w.ctx, desk.Actor{Integration: true}, id, in); err != nil {
		w.t.Fatalf("Handover %s: %v", id, err)
	}
}

// assign gives a waiting (or, for auditors and up, bot) conversation to u
// and delivers the hand-over, which ends the processing lock.
func (w *qWorld) assign(u desk.User, id string) {
	w.t.Helper()
	if _, err := w.s.Assign(w.ctx, desk.UserActor(u), id, store.AssignInput{}); err != nil {
		w.t.Fatalf("Assign %s to %s: %v", id, u.Name, err)
	}
	w.drain()
}

func (w *qWorld) transfer(u desk.User, id string, in store.TransferInput) {
	w.t.Helper()
	if _, err := w.s.Transfer(w.ctx, desk.UserActor(u), id, in); err != nil {
		w.t.Fatalf("Transfer %s by %s: %v", id, u.Name, err)
	}
	w.drain()
}

func (w *qWorld) resolve(u desk.User, id string) {
	w.t.Helper()
	if _, err := w.s.Resolve(w.ctx, desk.UserActor(u), id); err != nil {
		w.t.Fatalf("Resolve %s by %s: %v", id, u.Name, err)
	}
	w.drain()
}

// reply is the assignee writing to the customer.
func (w *qWorld) reply(u desk.User, id, text string) desk.Message {
	w.t.Helper()
	m, err := w.s.Send(w.ctx, desk.UserActor(u), id, store.SendInput{Text: text})
	if err != nil {
		w.t.Fatalf("Send by %s: %v", u.Name, err)
	}
	w.drain()
	return m
}

func (w *qWorld) drain() {
	w.t.Helper()
	if err := w.out.Drain(w.ctx); err != nil {
		w.t.Fatalf("outbox drain: %v", err)
	}
}

func (w *qWorld) read(u desk.User, id string) desk.Conversation {
	w.t.Helper()
	c, err := w.s.MarkRead(w.ctx, desk.UserActor(u), id)
	if err != nil {
		w.t.Fatalf("MarkRead by %s: %v", u.Name, err)
	}
	return c
}

func (w *qWorld) get(u desk.User, id string) desk.Conversation {
	w.t.Helper()
	c, err := w.s.GetConversation(w.ctx, desk.UserActor(u), id)
	if err != nil {
		w.t.Fatalf("GetConversation %s as %s: %v", id, u.Name, err)
	}
	return c
}

// open makes a conversation of name on ch and brings it to phase: waiting
// is handed over (to team, if given), human and closed are assigned to
// agent, closed is then resolved by it.
func (w *qWorld) open(ch desk.Channel, name string, phase desk.Phase, agent desk.User, team *desk.Team) string {
	w.t.Helper()
	id := w.sayAs(ch, name, "hello from "+name)
	if phase == desk.PhaseBot {
		return id
	}
	w.handover(id, team)
	if phase == desk.PhaseWaiting {
		return id
	}
	w.assign(agent, id)
	if phase == desk.PhaseClosed {
		w.resolve(agent, id)
	}
	return id
}

func (w *qWorld) advance(d time.Duration) { w.db.Clock.Advance(d) }

// list runs a query that must succeed and returns its ids in order.
func (w *qWorld) list(a desk.Actor, f store.ConversationFilter) []string {
	w.t.Helper()
	cs, _, err := w.s.ListConversations(w.ctx, a, f)
	if err != nil {
		w.t.Fatalf("ListConversations %+v: %v", f, err)
	}
	return qIDs(cs)
}

func qIDs(cs []desk.Conversation) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// qSameSet fails unless got and want hold the same ids, in any order;
// names maps ids to readable names for the failure message.
func qSameSet(t *testing.T, what string, names map[string]string, got []string, want ...string) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s = %v, want %v", what, qNames(names, got), qNames(names, want))
	}
}

// qSameOrder fails unless got is exactly want, in order.
func qSameOrder(t *testing.T, what string, names map[string]string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %v, want %v", what, qNames(names, got), qNames(names, want))
	}
}

func qNames(names map[string]string, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if n, ok := names[id]; ok {
			out[i] = n
		} else {
			out[i] = id
		}
	}
	return out
}
