package store_test

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

func TestListScopesConversationsByRoleAndBot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		botA, botB := w.bot("A"), w.bot("B")
		chA, chB := w.channel(botA, "api A"), w.channel(botB, "api B")
		ana, bea := w.user("Ana", desk.RoleAgent, botA), w.user("Bea", desk.RoleAgent, botA)
		bob := w.user("Bob", desk.RoleAgent, botB)
		aud, sup := w.user("Aud", desk.RoleAuditor, botA), w.user("Sup", desk.RoleSupervisor, botA)
		adm, nobody := w.user("Adm", desk.RoleAdmin), w.user("Nobody", desk.RoleAgent)
		aBot := w.open(chA, "a-bot", desk.PhaseBot, ana, nil)
		aWait := w.open(chA, "a-wait", desk.PhaseWaiting, ana, nil)
		aAna := w.open(chA, "a-ana", desk.PhaseHuman, ana, nil)
		aBea := w.open(chA, "a-bea", desk.PhaseHuman, bea, nil)
		bBot := w.open(chB, "b-bot", desk.PhaseBot, bob, nil)
		bWait := w.open(chB, "b-wait", desk.PhaseWaiting, bob, nil)
		bBob := w.open(chB, "b-bob", desk.PhaseHuman, bob, nil)
		names := map[string]string{aBot: "aBot", aWait: "aWait", aAna: "aAna", aBea: "aBea", bBot: "bBot", bWait: "bWait", bBob: "bBob"}
		allA := []string{aBot, aWait, aAna, aBea}
		for _, tc := range []struct {
			who   string
			actor desk.Actor
			want  []string
		}{
			{"agent Ana: queue of A and her own", desk.UserActor(ana), []string{aWait, aAna}},
			{"agent Bea: queue of A and her own", desk.UserActor(bea), []string{aWait, aBea}},
			{"agent Bob: nothing of bot A", desk.UserActor(bob), []string{bWait, bBob}},
			{"auditor of A: all of A, bot phase too", desk.UserActor(aud), allA},
			{"supervisor of A: all of A", desk.UserActor(sup), allA},
			{"admin: everything", desk.UserActor(adm), append([]string{bBot, bWait, bBob}, allA...)},
			{"user of no bot: nothing", desk.UserActor(nobody), nil},
			{"bot token of A: only A", desk.Actor{Integration: true, BotID: botA.ID}, allA},
			{"bot token of B: only B", desk.Actor{Integration: true, BotID: botB.ID}, []string{bBot, bWait, bBob}},
		} {
			qSameSet(t, tc.who, names, w.list(tc.actor, store.ConversationFilter{}), tc.want...)
		}
		// Asking for another bot's conversations does not widen the scope.
		qSameSet(t, "Ana filtering on bot B", names, w.list(desk.UserActor(ana), store.ConversationFilter{BotIDs: []string{botB.ID}}))
		// A contact's history (the contact panel) is whole for agents too,
		// but only within their bots; opening one stays scoped.
		for _, id := range []string{aBea, aBot} {
			contact := w.get(adm, id).Contact.ID
			qSameSet(t, "Ana's history of "+names[id], names, w.list(desk.UserActor(ana), store.ConversationFilter{ContactID: contact, ContactHistory: true}), id)
			// Without the history flag the main list stays scoped: a contact
			// id is just a filter.
			if id == aBot {
				qSameSet(t, "Ana filtering on "+names[id]+"'s contact", names, w.list(desk.UserActor(ana), store.ConversationFilter{ContactID: contact}))
			}
		}
		qSameSet(t, "Ana's history of a contact of B", names,
			w.list(desk.UserActor(ana), store.ConversationFilter{ContactID: w.get(adm, bBob).Contact.ID, ContactHistory: true}))
		_, err := w.s.GetConversation(w.ctx, desk.UserActor(ana), bWait)
		wantCode(t, err, desk.CodeNotFound)
		_, err = w.s.GetConversation(w.ctx, desk.UserActor(ana), aBea)
		wantCode(t, err, desk.CodeNotFound)
	})
}

// qFilterWorld is five conversations an hour apart, each different in
// every filterable way.
type qFilterWorld struct {
	*qWorld
	c                  [5]string // Carla, José, Maria, Pedro, Lucía
	names              map[string]string
	botB               desk.Bot
	chA2               desk.Channel
	sales, support     desk.Team
	vip, late          desk.Tag
	ana, bob, adm      desk.User
	joseContact        string
	protocol1, proto2  string
	beforeTouch, start time.Time
}

func qFilters(t *testing.T, db *storetest.DB) *qFilterWorld {
	w := &qFilterWorld{qWorld: qNew(t, db), start: db.Clock.Now()}
	botA := w.bot("A")
	w.botB = w.bot("B")
	chA1, chB := w.channel(botA, "api A1"), w.channel(w.botB, "api B")
	w.chA2 = w.channel(botA, "api A2")
	w.ana, w.bob, w.adm = w.user("Ana", desk.RoleAgent, botA), w.user("Bob", desk.RoleAgent, w.botB), w.user("Adm", desk.RoleAdmin)
	w.sales, w.support = w.team("Sales", botA, w.ana), w.team("Support", botA)
	w.vip, w.late = w.tag("vip"), w.tag("late")
	admin := desk.UserActor(w.adm)

	w.c[0] = w.say(chA1, store.InboundContact{ExternalID: "carla", Name: "Carla Souza", Phone: "+55 11 98888-7777"},
		"Olá, minha fatura está errada")
	w.handover(w.c[0], &w.sales)
	w.assign(w.ana, w.c[0])
	w.advance(time.Hour)
	w.c[1] = w.say(w.chA2, store.InboundContact{ExternalID: "jose", Name: "José Núñez", Phone: "5511977776666",
		Email: "jose.nunez@example.com"},
		"Quero cancelar o pedido")
	w.handover(w.c[1], &w.support)
	w.advance(time.Hour)
	w.c[2] = w.sayAs(chA1, "Maria", "Bom dia")
	w.advance(time.Hour)
	w.c[3] = w.sayAs(chB, "Pedro", "Invoice overdue")
	w.handover(w.c[3], nil)
	w.assign(w.bob, w.c[3])
	w.resolve(w.bob, w.c[3])
	w.advance(time.Hour)
	w.c[4] = w.sayAs(chB, "Lucía", "¡Hola! ¿Tienen envío?")
	w.handover(w.c[4], nil)
	for _, tag := range []struct{ conv, tag string }{{w.c[0], w.vip.ID}, {w.c[1], w.late.ID}} {
		if _, err := w.s.AddTag(w.ctx, admin, tag.conv, tag.tag); err != nil {
			t.Fatal(err)
		}
	}
	w.read(w.adm, w.c[0])
	w.joseContact = w.get(w.adm, w.c[1]).Contact.ID
	w.protocol1, w.proto2 = *w.get(w.adm, w.c[0]).Protocol, *w.get(w.adm, w.c[1]).Protocol
	// Last, a note touches Maria's conversation (and nothing else).
	w.advance(time.Minute)
	w.beforeTouch = db.Clock.Now()
	w.advance(time.Minute)
	if _, err := w.s.AddNote(w.ctx, admin, w.c[2], "called her back"); err != nil {
		t.Fatal(err)
	}
	w.names = map[string]string{w.c[0]: "Carla", w.c[1]: "José", w.c[2]: "Maria", w.c[3]: "Pedro", w.c[4]: "Lucía"}
	return w
}

func TestListFiltersEachField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qFilters(t, db)
		carla, jose, maria, pedro, lucia := w.c[0], w.c[1], w.c[2], w.c[3], w.c[4]
		yes, no := true, false
		at := func(h int) *time.Time { v := w.start.Add(time.Duration(h) * time.Hour); return &v }
		for _, tc := range []struct {
			name string
			f    store.ConversationFilter
			want []string
		}{
			{"no filter: open phases", store.ConversationFilter{}, []string{carla, jose, maria, lucia}},
			{"phase waiting", store.ConversationFilter{Phases: []desk.Phase{desk.PhaseWaiting}}, []string{jose, lucia}},
			{"phase bot,human", store.ConversationFilter{Phases: []desk.Phase{desk.PhaseBot, desk.PhaseHuman}}, []string{carla, maria}},
			{"phase closed", store.ConversationFilter{Phases: []desk.Phase{desk.PhaseClosed}}, []string{pedro}},
			{"all phases", store.ConversationFilter{AllPhases: true}, []string{carla, jose, maria, pedro, lucia}},
			{"assignee Ana", store.ConversationFilter{AssigneeIDs: []string{w.ana.ID}}, []string{carla}},
			{"assignee none", store.ConversationFilter{AssigneeIDs: []string{"none"}}, []string{jose, maria, lucia}},
			{"assignee Ana or none", store.ConversationFilter{AssigneeIDs: []string{w.ana.ID, "none"}}, []string{carla, jose, maria, lucia}},
			{"assignee Bob, closed history", store.ConversationFilter{AssigneeIDs: []string{w.bob.ID}, AllPhases: true}, []string{pedro}},
			{"team Sales", store.ConversationFilter{TeamIDs: []string{w.sales.ID}}, []string{carla}},
			{"team Sales or Support", store.ConversationFilter{TeamIDs: []string{w.sales.ID, w.support.ID}}, []string{carla, jose}},
			{"channel A2", store.ConversationFilter{ChannelIDs: []string{w.chA2.ID}}, []string{jose}},
			{"bot B", store.ConversationFilter{BotIDs: []string{w.botB.ID}}, []string{lucia}},
			{"bot B, all phases", store.ConversationFilter{BotIDs: []string{w.botB.ID}, AllPhases: true}, []string{pedro, lucia}},
			{"tag vip", store.ConversationFilter{TagIDs: []string{w.vip.ID}}, []string{carla}},
			{"tag vip or late", store.ConversationFilter{TagIDs: []string{w.vip.ID, w.late.ID}}, []string{carla, jose}},
			{"contact exact name", store.ConversationFilter{Contact: "Carla Souza"}, []string{carla}},
			{"contact exact phone", store.ConversationFilter{Contact: "+55 11 98888-7777"}, []string{carla}},
			{"contact partial name", store.ConversationFilter{Contact: "Carla"}, nil},
			{"contact partial phone", store.ConversationFilter{Contact: "98888-7777"}, nil},
			{"contact_id", store.ConversationFilter{ContactID: w.joseContact}, []string{jose}},
			{"protocol", store.ConversationFilter{Protocol: w.protocol1}, []string{carla}},
			{"unknown protocol", store.ConversationFilter{Protocol: "19990101000001"}, nil},
			{"q word of a customer message", store.ConversationFilter{Query: "cancelar"}, []string{jose}},
			{"q is case-insensitive", store.ConversationFilter{Query: "FATURA"}, []string{carla}},
			{"q matches prefixes", store.ConversationFilter{Query: "pedi"}, []string{jose}},
			{"q needs every word", store.ConversationFilter{Query: "fatura cancelar"}, nil},
			{"q over closed history", store.ConversationFilter{Query: "invoice", AllPhases: true}, []string{pedro}},
			{"q over notes", store.ConversationFilter{Query: "called back"}, []string{maria}},
			{"q word inside punctuation", store.ConversationFilter{Query: "hola"}, []string{lucia}},
			{"q word after punctuation", store.ConversationFilter{Query: "tienen"}, []string{lucia}},
			{"q word of an e-mail address", store.ConversationFilter{Query: "example"}, []string{jose}},
			{"q contact name", store.ConversationFilter{Query: "souza"}, []string{carla}},
			{"q contact phone part", store.ConversationFilter{Query: "98888"}, []string{carla}},
			{"q contact phone as written", store.ConversationFilter{Query: "+55 11 98888-7777"}, []string{carla}},
			{"q contact phone digits", store.ConversationFilter{Query: "5511977776666"}, []string{jose}},
			{"q protocol", store.ConversationFilter{Query: w.proto2}, []string{jose}},
			{"unread true (admin read Carla)", store.ConversationFilter{Unread: &yes}, []string{jose, maria, lucia}},
			{"unread false", store.ConversationFilter{Unread: &no}, []string{carla}},
			{"created from 1h to 3h", store.ConversationFilter{AllPhases: true, From: at(1), To: at(3)}, []string{jose, maria}},
			{"created from 3h", store.ConversationFilter{AllPhases: true, From: at(3)}, []string{pedro, lucia}},
			{"updated after", store.ConversationFilter{AllPhases: true, UpdatedAfter: &w.beforeTouch}, []string{maria}},
		} {
			qSameSet(t, tc.name, w.names, w.list(desk.UserActor(w.adm), tc.f), tc.want...)
		}
		if db.Name == "sqlite" {
			// FTS5's unicode61 folds diacritics; PostgreSQL's 'simple'
			// configuration keeps them (no unaccent extension).
			qSameSet(t, "q without diacritics", w.names, w.list(desk.UserActor(w.adm), store.ConversationFilter{Query: "nunez"}), jose)
			qSameSet(t, "q with diacritics", w.names, w.list(desk.UserActor(w.adm), store.ConversationFilter{Query: "ESTA"}), carla)
		}
	})
}

func TestListSearchNeverReadsUserInputAsSyntax(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qFilters(t, db)
		for q, want := range map[string][]string{
			`"fatura`: {w.c[0]}, `fatura*`: {w.c[0]}, `-fatura`: {w.c[0]}, `"minha fatura"`: {w.c[0]},
			`fatura AND`: nil, `fatura OR cancelar`: nil, `NOT fatura`: nil, `NEAR(fatura errada)`: nil,
			`"`: nil, `*`: nil, `-`: nil, `AND`: nil, `(`: nil, `body:fatura`: nil, `^fatura`: {w.c[0]},
			`fatura & cancelar | !x`: nil, `':*`: nil, `\`: nil, `%_`: nil,
		} {
			got := w.list(desk.UserActor(w.adm), store.ConversationFilter{Query: q, AllPhases: true})
			qSameSet(t, "q "+q, w.names, got, want...)
		}
	})
}

// qSortWorld: six waiting conversations whose oldest unread customer
// message, waiting_since and last_message_at disagree on the order. Minutes
// from the start: message times, handover times, Ana's reads.
func qSortWorld(t *testing.T, db *storetest.DB) (w *qWorld, ana, bea desk.User, c [6]string, names map[string]string) {
	w = qNew(t, db)
	b := w.bot("A")
	ch := w.channel(b, "api")
	ana, bea = w.user("Ana", desk.RoleAgent, b), w.user("Bea", desk.RoleAgent, b)
	at := func(min int) { db.Clock.Set(storetest.Epoch.Add(time.Duration(min) * time.Minute)) }
	at(0)
	c[0] = w.sayAs(ch, "C1", "first") // oldest unread 0, waiting 12, last 14
	at(5)
	c[1] = w.sayAs(ch, "C2", "first") // oldest unread 5, waiting 6, last 5
	at(6)
	w.handover(c[1], nil)
	at(8)
	c[2] = w.sayAs(ch, "C3", "first") // read at 10, unread again at 20; waiting 8
	w.handover(c[2], nil)
	at(9)
	c[3] = w.sayAs(ch, "C4", "first") // read; waiting 9, last 9
	w.handover(c[3], nil)
	at(10)
	w.read(ana, c[2])
	w.read(ana, c[3])
	at(12)
	w.handover(c[0], nil)
	at(14)
	w.sayAs(ch, "C1", "second")
	at(20)
	w.sayAs(ch, "C3", "again")
	at(21)
	c[4] = w.sayAs(ch, "C5", "first") // read, then marked unread; waiting 21, last 21
	w.handover(c[4], nil)
	w.read(ana, c[4])
	if _, err := w.s.MarkUnread(w.ctx, desk.UserActor(ana), c[4]); err != nil {
		t.Fatal(err)
	}
	at(22)
	c[5] = w.sayAs(ch, "C6", "first") // read; waiting 22, last 22
	w.handover(c[5], nil)
	w.read(ana, c[5])
	names = map[string]string{}
	for i, id := range c {
		names[id] = "C" + string(rune('1'+i))
	}
	return w, ana, bea, c, names
}

func TestListSortWaitingPutsOldestUnreadCustomerMessageFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w, ana, bea, c, names := qSortWorld(t, db)
		waiting := store.ConversationFilter{Sort: store.SortWaiting}
		// Unread by oldest unread customer message (C1 0, C2 5, C3 20, C5
		// marked: its last message 21), then the read ones by waiting_since.
		qSameOrder(t, "Ana's waiting sort", names, w.list(desk.UserActor(ana), waiting), c[0], c[1], c[2], c[4], c[3], c[5])
		// Read state is Ana's: Bea has read nothing, so every conversation
		// is unread for her, by its first message.
		qSameOrder(t, "Bea's waiting sort", names, w.list(desk.UserActor(bea), waiting), c[0], c[1], c[2], c[3], c[4], c[5])
		qSameOrder(t, "updated sort", names, w.list(desk.UserActor(ana), store.ConversationFilter{Sort: store.SortUpdated}),
			c[5], c[4], c[2], c[0], c[3], c[1])
		got, _, err := w.s.ListConversations(w.ctx, desk.UserActor(ana), waiting)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []struct {
			unread int
			marked bool
		}{{2, false}, {1, false}, {1, false}, {0, true}, {0, false}, {0, false}} {
			if got[i].UnreadCount != want.unread || got[i].MarkedUnread != want.marked {
				t.Errorf("%s: unread %d marked %v, want %d %v", names[got[i].ID], got[i].UnreadCount, got[i].MarkedUnread, want.unread, want.marked)
			}
		}
	})
}

func TestListPagesCoverEveryRowOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w, ana, _, c, names := qSortWorld(t, db)
		for _, sort := range []string{store.SortWaiting, store.SortUpdated} {
			full := w.list(desk.UserActor(ana), store.ConversationFilter{Sort: sort})
			if len(full) != len(c) {
				t.Fatalf("%s: %d rows, want %d", sort, len(full), len(c))
			}
			for _, limit := range []int{1, 4, 6} {
				var got []string
				cursor, pages := "", 0
				for {
					page, next, err := w.s.ListConversations(w.ctx, desk.UserActor(ana),
						store.ConversationFilter{Sort: sort, Limit: limit, Cursor: cursor})
					if err != nil {
						t.Fatal(err)
					}
					if len(page) > limit {
						t.Fatalf("%s limit %d: page of %d", sort, limit, len(page))
					}
					got, cursor, pages = append(got, qIDs(page)...), next, pages+1
					if cursor == "" || pages > len(c) {
						break
					}
				}
				qSameOrder(t, sort+" pages", names, got, full...)
				if want := (len(c) + limit - 1) / limit; pages != want {
					t.Errorf("%s limit %d: %d pages, want %d", sort, limit, pages, want)
				}
			}
		}
		enc := base64.RawURLEncoding.EncodeToString
		for _, bad := range []string{"!!!", enc([]byte("x5")), enc([]byte("o-1")), enc([]byte("o2000000")), enc([]byte("ofive")),
			enc([]byte("k")), enc([]byte("k5:")), enc([]byte("kx:abc")), enc([]byte("k-1:abc"))} {
			_, _, err := w.s.ListConversations(w.ctx, desk.UserActor(ana), store.ConversationFilter{Cursor: bad})
			wantCode(t, err, desk.CodeValidationFailed)
		}
		// A key cursor belongs to the updated order.
		_, next, err := w.s.ListConversations(w.ctx, desk.UserActor(ana), store.ConversationFilter{Sort: store.SortUpdated, Limit: 1})
		if err != nil || next == "" {
			t.Fatalf("first page: %v %q", err, next)
		}
		_, _, err = w.s.ListConversations(w.ctx, desk.UserActor(ana), store.ConversationFilter{Sort: store.SortWaiting, Limit: 1, Cursor: next})
		wantCode(t, err, desk.CodeValidationFailed)
	})
}
