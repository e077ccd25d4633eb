package store_test

import (
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Every conversation read carries a preview of the latest message the
// customer sees: notes never show, a long text is cut to 140 characters.
func TestConversationCarriesLastMessagePreview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		a := w.bot("A")
		ch := w.channel(a, "api")
		ana := w.user("Ana", desk.RoleAgent, a)
		id := w.open(ch, "Carla", desk.PhaseHuman, ana, nil)
		w.drain()
		long := strings.Repeat("é", 139) + "xyz"
		w.sayAs(ch, "Carla", long)
		want := &desk.MessagePreview{Author: desk.AuthorContact, Kind: desk.KindText, Text: strings.Repeat("é", 139) + "x"}
		if got := w.get(ana, id).LastMessage; got == nil || *got != *want {
			t.Fatalf("preview after the customer's message %+v, want %+v", got, want)
		}
		if _, err := w.s.AddNote(w.ctx, desk.UserActor(ana), id, "internal only"); err != nil {
			t.Fatal(err)
		}
		if got := w.get(ana, id).LastMessage; got == nil || *got != *want {
			t.Errorf("a note changed the preview to %+v", got)
		}
		w.reply(ana, id, "on it, one second")
		cs, _, err := w.s.ListConversations(w.ctx, desk.UserActor(ana), store.ConversationFilter{Phases: []desk.Phase{desk.PhaseHuman}})
		if err != nil || len(cs) != 1 {
			t.Fatalf("list: %d, %v", len(cs), err)
		}
		if got := cs[0].LastMessage; got == nil || got.Author != desk.AuthorAgent || got.Text != "on it, one second" {
			t.Errorf("listed preview after the reply %+v", got)
		}
	})
}
