package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// SQLite's broad plan tests each conversation walked with one FTS5 seek to
// the conversation's rowid range in message_words (migration 0022), not
// one seek per message of it through the messages table: at ten million
// messages the per-message test cost 47–244 ms of CPU per page.
func TestSearchSeeksOncePerConversation(t *testing.T) {
	db := storetest.Open(t, "sqlite", func(*store.Options) {})
	w, _, _, _, _ := qSortWorld(t, db)
	for _, q := range []string{"first", "fir", "first again"} {
		plan, err := store.SearchPlan(w.ctx, w.s, q)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(plan, "\n")
		t.Logf("%q:\n%s", q, text)
		if strings.Contains(text, "messages") || strings.Contains(text, " m ") {
			t.Errorf("%q: the broad plan reads the messages table:\n%s", q, text)
		}
		seek := slices.ContainsFunc(plan, func(l string) bool {
			return strings.Contains(l, "message_words VIRTUAL TABLE") && strings.Contains(l, "M") &&
				strings.Contains(l, "<") && strings.Contains(l, ">")
		})
		if !seek {
			t.Errorf("%q: no MATCH with a rowid range on message_words:\n%s", q, text)
		}
	}
}

// A conversation of many messages is found by a word of its oldest one, in
// both plans, and its neighbours (made before and after it) are not: the
// rowid ranges of message_words keep conversations apart.
func TestSearchFindsTheOldestOfManyMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		b := w.bot("A")
		ch := w.channel(b, "api")
		sup := w.user("Sue", desk.RoleSupervisor, b)
		before := w.sayAs(ch, "Before", "filler zebrine")
		long := w.sayAs(ch, "Long", "zebra café")
		for i := range 300 {
			w.sayAs(ch, "Long", fmt.Sprintf("filler line %d", i))
		}
		after := w.sayAs(ch, "After", "filler cafés")
		for _, broad := range []int{1 << 30, -1} {
			store.SetBroadSearch(w.s, broad)
			for q, want := range map[string][]string{
				"zebra": {long}, "zebr": {before, long}, "café": {long, after}, "filler": {before, long, after},
				"zebra café": {long}, "line 299": {long},
				"zebra filler": nil, // the words of one message, as before

			} {
				got := listAll(t, w.s, desk.UserActor(sup), store.ConversationFilter{Query: q, AllPhases: true, Sort: store.SortUpdated})
				slices.Sort(got)
				slices.Sort(want)
				if len(got) != len(want) || !slices.Equal(got, want) {
					t.Errorf("search %q (broad %d): %v, want %v (before %s, long %s, after %s)", q, broad, got, want, before, long, after)
				}
			}
		}
	})
}
