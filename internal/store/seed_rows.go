package store

// The rows Seed (seed.go) writes: what Inbound, Handover, Assign and
// Resolve would have left behind, generated deterministically per index.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

var (
	seedContactCols = []string{"id", "bot_id", "name", "phone", "email", "external_id", "attributes", "blocked", "created_at", "updated_at"}
	seedIdentCols   = []string{"channel_id", "external_id", "contact_id"}
	seedConvCols    = []string{"id", "protocol", "bot_id", "channel_id", "channel_type", "contact_id", "phase", "assignee_id", "team_id",
		"waiting_since", "last_message_at", "window_expires_at", "auto_close_at", "seq", "version", "closed_reason",
		"created_at", "updated_at", "closed_at", "first_contact_at"}
	seedMsgCols = []string{"id", "conversation_id", "channel_id", "seq", "author_type", "author_id", "author_name", "kind", "text",
		"event", "event_type", "event_to", "status", "external_id", "created_at", "updated_at"}
	seedEventCols = []string{"conversation_id", "seq", "type", "message_id", "created_at"}
	seedReadCols  = []string{"user_id", "conversation_id", "last_read_seq", "marked_unread", "unread_since", "closed"}
	seedTagCols   = []string{"conversation_id", "tag_id"}

	// One customer line in twelve asks for a refund: the search benchmark
	// looks for that word.
	seedLines = []string{"Hi, my invoice {n} is wrong", "I need a refund for order {n}", "The app crashes when I log in",
		"Where is my order #{n}?", "Can I change the delivery address of order {n}?", "Do you ship to {c}?",
		"My password reset email never arrives", "I was charged twice this month", "How do I cancel my subscription?",
		"Is there a discount for customers in {c}?", "The package arrived damaged, order {n}", "Can I talk to a person please?"}
	seedCountries = []string{"Brazil", "Argentina", "Mexico", "Portugal", "Spain", "Japan", "Germany", "Chile", "Canada", "Kenya"}
	seedFirst     = []string{"Maria", "João", "Ana", "Pedro", "Lucía", "Carlos", "Priya", "Tom", "Aiko", "John", "Fatima", "Wei",
		"Olga", "Bruno", "Sofia", "Diego", "Amara", "Lars", "Chloé", "Ravi"}
	seedLast = []string{"Silva", "Santos", "Oliveira", "Fernández", "García", "Natarajan", "Becker", "Tanaka", "Carter", "Okafor",
		"Müller", "Rossi", "Costa", "Pereira", "Kim", "Nguyen", "Dubois", "Hansen", "Lopez", "Souza"}
)

type seedContact struct {
	id, ext, name string
	ch            int
}

type seedGen struct {
	w   SeedWorld
	now time.Time
	// messages per conversation (SeedOptions.Messages); 0: the benchmarks'
	// shape, 3 to 9.
	messages int
	ids      func() string
	proto    int64 // the protocol counter
	prev     seedContact
	rows     seedRows
}

type seedRows struct{ contacts, idents, convs, msgs, events, reads, tags [][]any }

// seedDays is how far back closed conversations go.
const seedDays = 90

// seedTable is one table's rows of a batch, in the order they must be
// written (a conversation after its contact).
type seedTable struct {
	table string
	cols  []string
	rows  [][]any
}

// generate makes the rows of conversations [from, to), numbering
// protocols from proto.
func (g *seedGen) generate(proto int64, from, to int) []seedTable {
	g.proto, g.rows = proto, seedRows{}
	for i := from; i < to; i++ {
		g.conversation(i)
	}
	r := g.rows
	return []seedTable{{"contacts", seedContactCols, r.contacts}, {"contact_identities", seedIdentCols, r.idents},
		{"conversations", seedConvCols, r.convs}, {"messages", seedMsgCols, r.msgs}, {"events", seedEventCols, r.events},
		{"reads", seedReadCols, r.reads}, {"conversation_tags", seedTagCols, r.tags}}
}

// batch writes conversations [from, to) in t with multi-row INSERTs (the
// FTS rows by the schema's triggers, as for every message).
func (g *seedGen) batch(t *txn, from, to int) error {
	var proto int64
	if err := t.queryRow(`SELECT value FROM counters WHERE name = 'protocol'`).Scan(&proto); err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	for _, x := range g.generate(proto, from, to) {
		if err := t.insertRows(x.table, x.cols, x.rows); err != nil {
			return err
		}
	}
	_, err := t.exec(`UPDATE counters SET value = $1 WHERE name = 'protocol'`, g.proto)
	return err
}

// conversation generates conversation i and everything that hangs off it.
func (g *seedGen) conversation(i int) {
	rng := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	// Every fourth contact comes back: conversation 4k is closed and 4k+1
	// is the same contact's next one. About 74% end up closed, 5% with the
	// bot, 8% waiting and 13% with an agent.
	phase := desk.PhaseClosed
	if i%4 != 0 {
		switch r := rng.IntN(100); {
		case r < 66:
		case r < 73:
			phase = desk.PhaseBot
		case r < 83:
			phase = desk.PhaseWaiting
		default:
			phase = desk.PhaseHuman
		}
	}
	// Closed conversations spread over the last 90 days; open ones began
	// in the last few hours.
	var at time.Time
	if phase == desk.PhaseClosed {
		at = g.now.Add(-6*time.Hour - time.Duration(rng.Int64N(int64(seedDays*24*time.Hour))))
	} else {
		at = g.now.Add(-30*time.Minute - time.Duration(rng.Int64N(int64(6*time.Hour))))
	}
	created := at
	ct := g.prev
	if i%4 != 1 || ct.id == "" {
		ct = g.contact(i, rng, at)
	}
	g.prev = ct
	ch, bot := g.w.Channels[ct.ch], g.w.Bots[seedChannels[ct.ch].bot]
	id := g.ids()
	var seq int64
	var firstContact, lastContact time.Time
	add := func(author desk.AuthorType, authorID any, name string, kind desk.MessageKind, text string, ev *desk.Event) {
		seq++
		at = at.Add(time.Duration(5+rng.IntN(120)) * time.Second)
		mid, status, ext := g.ids(), desk.StatusDelivered, any(nil)
		var event, evType, evTo any
		if author == desk.AuthorContact {
			status, ext, lastContact = desk.StatusReceived, "seed-"+strconv.Itoa(i)+"-"+strconv.FormatInt(seq, 10), at
			if firstContact.IsZero() {
				firstContact = at
			}
		}
		if ev != nil {
			b, _ := json.Marshal(ev)
			event, evType, evTo, status = string(b), string(ev.Type), strOrNil(ev.To), desk.StatusSent
		}
		g.rows.msgs = append(g.rows.msgs, []any{mid, id, ch.ID, seq, string(author), authorID, name, string(kind), text,
			event, evType, evTo, string(status), ext, ms(at), ms(at)})
		g.rows.events = append(g.rows.events, []any{id, seq, string(desk.ChangeMessageCreated), mid, ms(at)})
	}
	customer := func() { add(desk.AuthorContact, any(ct.id), ct.name, desk.KindText, seedLine(rng), nil) }
	system := func(ev desk.Event, text string) { add(desk.AuthorSystem, nil, "Relevo", desk.KindEvent, text, &ev) }
	customer()
	add(desk.AuthorBot, nil, "Bot", desk.KindText, "Hi! I'm the assistant. How can I help?", nil)
	customer()

	var protocol, team, assignee, waitingSince, closedReason, closedAt, windowEnd, autoClose any
	var agent desk.User
	version := 0
	handled := phase == desk.PhaseWaiting || phase == desk.PhaseHuman || (phase == desk.PhaseClosed && rng.IntN(100) < 80)
	if handled {
		g.proto++
		protocol = fmt.Sprintf("%s%06d", at.Format("20060102"), g.proto)
		var teamID string
		if rng.IntN(100) < 60 {
			teams := g.botTeams(seedChannels[ct.ch].bot)
			teamID = teams[rng.IntN(len(teams))]
			team = teamID
		}
		system(desk.Event{Type: desk.EventHandover, From: string(desk.PhaseBot), To: teamID}, "Handed over to the queue")
		waitingSince, version = ms(at), version+1
		if phase != desk.PhaseWaiting {
			agent = g.w.Agents[rng.IntN(len(g.w.Agents))]
			ev := desk.Event{Type: desk.EventAssigned, ActorID: &agent.ID, From: string(desk.PhaseWaiting), To: agent.ID}
			add(desk.AuthorAgent, agent.ID, agent.Name, desk.KindEvent, "Assigned to "+agent.Name, &ev)
			add(desk.AuthorAgent, agent.ID, agent.Name, desk.KindText, "Hello, I'm "+agent.Name+". Let me check that for you.", nil)
			customer()
			assignee, version = agent.ID, version+1
		}
	}
	if g.messages > 0 {
		// The chat goes on until the conversation holds g.messages rows
		// with its closing ones; its text has its own generator, so the
		// benchmarks' shape (messages 0) stays as it was.
		closing := 0
		if phase == desk.PhaseClosed {
			closing = 1 + boolInt(handled)
		}
		trng := rand.New(rand.NewPCG(uint64(i), 0x7e47))
		z := newSeedZipf(trng)
		for k := 0; int(seq)+closing < g.messages; k++ {
			switch {
			case k%2 == 0:
				add(desk.AuthorContact, any(ct.id), ct.name, desk.KindText, seedChat(trng, z), nil)
			case assignee != nil:
				add(desk.AuthorAgent, agent.ID, agent.Name, desk.KindText, seedChat(trng, z), nil)
			default:
				add(desk.AuthorBot, nil, "Bot", desk.KindText, seedChat(trng, z), nil)
			}
		}
	}
	if phase == desk.PhaseClosed {
		if handled {
			add(desk.AuthorAgent, agent.ID, agent.Name, desk.KindText, "All done. Anything else I can help with?", nil)
			ev := desk.Event{Type: desk.EventResolved, ActorID: &agent.ID, From: agent.ID}
			add(desk.AuthorAgent, agent.ID, agent.Name, desk.KindEvent, "Resolved", &ev)
			closedReason = "resolved"
		} else {
			system(desk.Event{Type: desk.EventAutoClosed}, "Closed automatically")
			closedReason = "auto_closed"
		}
		closedAt, version = ms(at), version+1
	} else {
		autoClose = ms(at.Add(bot.AutoCloseAfter.Duration()))
	}
	if ch.Type.HasWindow() {
		windowEnd = ms(lastContact.Add(window))
	}
	g.rows.convs = append(g.rows.convs, []any{id, protocol, bot.ID, ch.ID, string(ch.Type), ct.id, string(phase), assignee, team,
		waitingSince, ms(at), windowEnd, autoClose, seq, version, closedReason, ms(created), ms(at), closedAt, ms(firstContact)})

	// Read state: assignees have read all or all but the last customer
	// line (unread since then); the supervisor opened 3% of conversations
	// and marked one in a thousand unread.
	if assignee != nil {
		read, since := seq, any(nil)
		if phase == desk.PhaseHuman && rng.IntN(2) == 0 {
			read, since = seq-1, ms(lastContact)
		}
		g.rows.reads = append(g.rows.reads, []any{agent.ID, id, read, 0, since, boolInt(phase == desk.PhaseClosed)})
	}
	if r := rng.IntN(1000); r < 31 {
		g.rows.reads = append(g.rows.reads, []any{g.w.Supervisor.ID, id, seq, boolInt(r == 30), nil, boolInt(phase == desk.PhaseClosed)})
	}
	if rng.IntN(100) < 5 {
		g.rows.tags = append(g.rows.tags, []any{id, g.w.TagIDs[rng.IntN(len(g.w.TagIDs))]})
	}
}

// contact generates a new contact of conversation i, on a channel picked
// by the channels' shares.
func (g *seedGen) contact(i int, rng *rand.Rand, at time.Time) seedContact {
	c := seedContact{id: g.ids(), ext: "seed-" + strconv.Itoa(i)}
	for r := rng.IntN(100); r >= seedChannels[c.ch].pct; c.ch++ {
		r -= seedChannels[c.ch].pct
	}
	c.name = seedFirst[rng.IntN(len(seedFirst))] + " " + seedLast[rng.IntN(len(seedLast))]
	phone := fmt.Sprintf("55%02d9%08d", 11+rng.IntN(80), rng.IntN(100_000_000))
	ch := g.w.Channels[c.ch]
	g.rows.contacts = append(g.rows.contacts, []any{c.id, ch.BotID, c.name, phone, "", c.ext, "{}", 0, ms(at), ms(at)})
	g.rows.idents = append(g.rows.idents, []any{ch.ID, c.ext, c.id})
	return c
}

func (g *seedGen) botTeams(bot int) []string {
	var ids []string
	for i, t := range seedTeams {
		if t.bot == bot {
			ids = append(ids, g.w.Teams[i].ID)
		}
	}
	return ids
}

func seedLine(rng *rand.Rand) string {
	l := seedLines[rng.IntN(len(seedLines))]
	l = strings.ReplaceAll(l, "{n}", strconv.Itoa(10_000+rng.IntN(90_000)))
	return strings.ReplaceAll(l, "{c}", seedCountries[rng.IntN(len(seedCountries))])
}
