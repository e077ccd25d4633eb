package store_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The conversations report's details come from the timeline: everyone who
// held it in order (once each), the transfer reasons in order, the first
// message a person sent (not a note), and the resolve.
func TestConversationDetailsFromTheTimeline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ch := w.channel(a, "api")
		ana, bea := w.user("Ana", desk.RoleAgent, a), w.user("Bea", desk.RoleAgent, a)
		billing, tech := w.reason("Billing"), w.reason("Tech")

		x := w.sayAs(ch, "X", "help")
		w.handover(x, nil)
		w.assign(ana, x)
		w.advance(time.Minute)
		if _, err := w.s.AddNote(w.ctx, desk.UserActor(ana), x, "a note is not an answer"); err != nil {
			t.Fatal(err)
		}
		w.advance(time.Minute)
		answered := db.Clock.Now()
		w.reply(ana, x, "hi X")
		w.transfer(ana, x, store.TransferInput{AgentID: bea.ID, ReasonID: billing.ID})
		w.transfer(bea, x, store.TransferInput{AgentID: ana.ID, ReasonID: tech.ID})
		w.advance(time.Minute)
		resolved := db.Clock.Now()
		w.resolve(ana, x)
		untouched := w.sayAs(ch, "Y", "hello")

		got, err := w.s.ConversationDetails(w.ctx, []string{x, untouched})
		if err != nil {
			t.Fatal(err)
		}
		want := store.ConversationDetails{
			Agents:          []store.AgentRef{{ID: ana.ID, Name: "Ana"}, {ID: bea.ID, Name: "Bea"}},
			TransferReasons: []string{"Billing", "Tech"},
			FirstResponseAt: &answered,
			ResolvedAt:      &resolved,
		}
		if d := got[x]; !reflect.DeepEqual(*d, want) {
			t.Errorf("details of X = %+v\nwant %+v", *d, want)
		}
		empty := store.ConversationDetails{Agents: []store.AgentRef{}, TransferReasons: []string{}}
		if d := got[untouched]; !reflect.DeepEqual(*d, empty) {
			t.Errorf("details of Y = %+v, want none", *d)
		}
	})
}
