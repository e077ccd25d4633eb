package storetest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// World is a small contact center built through the store's own API, for
// tests of the desk engine: one bot with an API and a WhatsApp channel, a
// member of every role, two teams, a reason and a tag, plus a second bot
// for scope checks. Build it with NewWorld; bring conversations into a
// phase with InPhase. Any package's tests may reuse it; a suite that wants
// other names or settings builds its own rows with Seed.
type World struct {
	// T is the test the helpers report to; a table test may point it at
	// the running subtest (w.T = t).
	T   *testing.T
	DB  *DB
	S   *store.Store
	Ctx context.Context

	// Bot has a built-in flow (so new conversations stay in phase bot),
	// unless WorldOptions.NoFlow.
	Bot      desk.Bot
	API      desk.Channel // type api
	WhatsApp desk.Channel // type whatsapp, config {"phone_number_id":"1"}

	// Members of Bot. Agent ("Ana", team Sales) and Agent2 ("Bia", team
	// Support) are online; OfflineAgent and PausedAgent are not. Auditor,
	// Supervisor and Admin (a member of every bot by role) are online.
	Agent, Agent2, OfflineAgent, PausedAgent desk.User
	Auditor, Supervisor, Admin               desk.User
	Sales, Support                           desk.Team
	Reason                                   desk.Reason // "Billing", for Bot
	Tag                                      desk.Tag    // "VIP"

	// OtherBot is out of everyone's scope above but Admin's; Outsider is
	// its online agent, OtherTeam and OtherReason its catalog.
	OtherBot    desk.Bot
	OtherTeam   desk.Team
	OtherReason desk.Reason
	Outsider    desk.User

	root *testing.T   // owns the world's cleanups
	n    atomic.Int64 // numbers contacts and message ids

	rawOnce sync.Once
	raw     *sql.DB
}

// WorldOptions shape the world's bot.
type WorldOptions struct {
	// WebhookURL makes Bot an external bot: it is told of every hand-over
	// and the API channel's messages are POSTed there.
	WebhookURL string
	// NoFlow leaves Bot without flow and webhook: inbound goes straight to
	// the human queue.
	NoFlow bool
	// AutoCloseAfter is Bot's auto_close_after (0: the default 24 h).
	AutoCloseAfter desk.Seconds
}

// NewWorld builds a world in db.
func NewWorld(t *testing.T, db *DB, o WorldOptions) *World {
	t.Helper()
	w := &World{T: t, root: t, DB: db, S: db.Store, Ctx: context.Background()}
	// A flow that keeps asking: conversations stay with the bot until a
	// test hands them over. No worker here runs it.
	flow := json.RawMessage(`{"start":"greet","nodes":{"greet":{"type":"question","text":"Hi!","attribute":"need","next":"greet"}}}`)
	if o.NoFlow || o.WebhookURL != "" {
		flow = nil
	}
	sd := w.Seed()
	w.Bot = sd.Bot(desk.Bot{Name: "Acme", Flow: flow, WebhookURL: o.WebhookURL, AutoCloseAfter: o.AutoCloseAfter})
	w.OtherBot = sd.Bot(desk.Bot{Name: "Other", Flow: flow})
	w.API = sd.APIChannel(w.Bot, "API")
	w.WhatsApp = sd.Channel(desk.Channel{BotID: w.Bot.ID, Type: desk.ChannelWhatsApp,
		Name: "WhatsApp", Config: json.RawMessage(`{"phone_number_id":"1"}`)})

	w.Agent = w.NewUser("Ana", desk.RoleAgent, desk.StatusOnline, w.Bot.ID)
	w.Agent2 = w.NewUser("Bia", desk.RoleAgent, desk.StatusOnline, w.Bot.ID)
	w.OfflineAgent = w.NewUser("Caio", desk.RoleAgent, desk.StatusOffline, w.Bot.ID)
	w.PausedAgent = w.NewUser("Duda", desk.RoleAgent, desk.StatusPaused, w.Bot.ID)
	w.Auditor = w.NewUser("Edu", desk.RoleAuditor, desk.StatusOnline, w.Bot.ID)
	w.Supervisor = w.NewUser("Fabi", desk.RoleSupervisor, desk.StatusOnline, w.Bot.ID)
	w.Admin = w.NewUser("Gil", desk.RoleAdmin, desk.StatusOnline)
	w.Outsider = w.NewUser("Hugo", desk.RoleAgent, desk.StatusOnline, w.OtherBot.ID)

	w.Sales = sd.Team(desk.Team{Name: "Sales", BotID: w.Bot.ID, MemberIDs: IDs(w.Agent)})
	w.Support = sd.Team(desk.Team{Name: "Support", BotID: w.Bot.ID, MemberIDs: IDs(w.Agent2)})
	w.OtherTeam = sd.Team(desk.Team{Name: "Elsewhere", BotID: w.OtherBot.ID})
	w.Reason = sd.Reason(desk.Reason{Name: "Billing", BotID: w.Bot.ID})
	w.OtherReason = sd.Reason(desk.Reason{Name: "Not ours", BotID: w.OtherBot.ID})
	w.Tag = sd.Tag(desk.Tag{Name: "VIP"})
	return w
}

// Seed is a Seed on the world's store reporting to w.T, for rows a test
// adds to the world.
func (w *World) Seed() Seed { return Seed{T: w.T, S: w.S, Ctx: w.Ctx} }

// NewUser creates a user of role in the given bots with status set through
// SetStatus (paused users carry the reason "lunch").
func (w *World) NewUser(name string, role desk.Role, status desk.UserStatus, botIDs ...string) desk.User {
	w.T.Helper()
	sd := w.Seed()
	u := sd.User(desk.User{Name: name, Email: strings.ToLower(name) + "@acme.test", Role: role, BotIDs: botIDs}, "x")
	if status != desk.StatusOffline {
		reason := ""
		if status == desk.StatusPaused {
			reason = "lunch"
		}
		u = sd.Status(u, status, reason)
	}
	return u
}

// As is u acting in the console, read fresh from the store (status and
// memberships as they are now, like a request's session would).
func (w *World) As(u desk.User) desk.Actor {
	w.T.Helper()
	fresh, err := w.S.GetUser(w.Ctx, u.ID)
	if err != nil {
		w.T.Fatalf("world: user %s: %v", u.Name, err)
	}
	return desk.UserActor(fresh)
}

// BotActor is the bot token of Bot.
func (w *World) BotActor() desk.Actor { return desk.Actor{Integration: true, BotID: w.Bot.ID} }

// NewContact returns a fresh channel identity for a customer.
func (w *World) NewContact() string { return fmt.Sprintf("cust-%d", w.n.Add(1)) }

// Inbound stores a customer message with a fresh message id.
func (w *World) Inbound(ch desk.Channel, contact, text string) store.InboundResult {
	w.T.Helper()
	res, err := w.S.Inbound(w.Ctx, ch.ID, store.InboundContact{ExternalID: contact, Name: "Customer " + contact},
		store.InboundMessage{ExternalID: fmt.Sprintf("msg-%d", w.n.Add(1)), Text: text})
	if err != nil {
		w.T.Fatalf("world: inbound: %v", err)
	}
	return res
}

// CustomerSays stores a new message from c's customer on c's channel.
func (w *World) CustomerSays(c desk.Conversation, text string) store.InboundResult {
	w.T.Helper()
	ct, err := w.S.GetContact(w.Ctx, c.Contact.ID)
	if err != nil {
		w.T.Fatalf("world: contact: %v", err)
	}
	ch, err := w.S.GetChannel(w.Ctx, c.ChannelID)
	if err != nil {
		w.T.Fatalf("world: channel: %v", err)
	}
	return w.Inbound(ch, ct.ExternalID, text)
}

// InPhase opens a conversation of a new contact on the API channel and
// brings it into phase: bot (first message), waiting (handed over by the
// bot, queued for nobody in particular), human (assigned to Agent, the
// hand-over delivered so the processing lock has ended) or closed
// (resolved by Agent).
func (w *World) InPhase(phase desk.Phase) desk.Conversation { return w.InPhaseOn(w.API, phase) }

// InPhaseOn is InPhase on channel ch.
func (w *World) InPhaseOn(ch desk.Channel, phase desk.Phase) desk.Conversation {
	w.T.Helper()
	res := w.Inbound(ch, w.NewContact(), "Hello, I need help")
	id := res.ConversationID
	if phase == desk.PhaseBot {
		if res.Phase != desk.PhaseBot {
			w.T.Fatalf("world: a bot without flow cannot hold a conversation in phase bot")
		}
		return w.Get(id)
	}
	if res.Phase == desk.PhaseBot {
		w.Check(w.S.Handover(w.Ctx, w.BotActor(), id, store.HandoverInput{}))
	}
	if phase == desk.PhaseWaiting {
		return w.Get(id)
	}
	w.Check(w.S.Assign(w.Ctx, w.As(w.Agent), id, store.AssignInput{}))
	w.Deliver()
	if phase == desk.PhaseClosed {
		w.Check(w.S.Resolve(w.Ctx, w.As(w.Agent), id))
	}
	c := w.Get(id)
	if c.Phase != phase {
		w.T.Fatalf("world: conversation in phase %s, want %s", c.Phase, phase)
	}
	return c
}

// Check fails the test on an unexpected error of a lifecycle call.
func (w *World) Check(c desk.Conversation, err error) desk.Conversation {
	w.T.Helper()
	if err != nil {
		w.T.Fatalf("world: %v", err)
	}
	return c
}

// Get reads a conversation as the system sees it.
func (w *World) Get(id string) desk.Conversation {
	w.T.Helper()
	c, err := w.S.GetConversation(w.Ctx, desk.SystemActor, id)
	if err != nil {
		w.T.Fatalf("world: get conversation: %v", err)
	}
	return c
}
