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
// messages the per-message test cost 47–244 ms of CPU per page. Under
// collectSearch matches it collects the matching conversations once
// instead, and still walks the list's sort index.
func TestSearchSeeksOncePerConversation(t *testing.T) {
	db := storetest.Open(t, "sqlite", func(*store.Options) {})
	w, _, _, _, _ := qSortWorld(t, db)
	for _, q := range []string{"first", "fir", "first again"} {
		for _, collect := range []int{-1, 0} {
			plan, err := store.SearchPlan(w.ctx, w.s, q, collect)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(plan, "\n")
			if strings.Contains(text, "messages") || strings.Contains(text, " m ") {
				t.Errorf("%q collect %d: the broad plan reads the messages table:\n%s", q, collect, text)
			}
			if !strings.Contains(text, "SCAN c USING INDEX conversations_last_message") || strings.Contains(text, "TEMP B-TREE") {
				t.Errorf("%q collect %d: the broad plan does not walk the sort index:\n%s", q, collect, text)
			}
			seek := slices.ContainsFunc(plan, func(l string) bool {
				return strings.Contains(l, "message_words VIRTUAL TABLE") && strings.Contains(l, "M") &&
					strings.Contains(l, "<") && strings.Contains(l, ">")
			})
			if collect < 0 && !seek {
				t.Errorf("%q: no MATCH with a rowid range on message_words:\n%s", q, text)
			}
			collected := slices.Contains(plan, "SCAN message_words VIRTUAL TABLE INDEX 0:M1") && !strings.Contains(text, "CORRELATED")
			if collect == 0 && !collected {
				t.Errorf("%q: the matches are not collected once:\n%s", q, text)
			}
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
		for _, plan := range [][2]int{{1 << 30, 0}, {-1, 0}, {-1, -1}} {
			store.SetBroadSearch(w.s, plan[0])
			store.SetCollectSearch(w.s, plan[1])
			for q, want := range map[string][]string{
				"zebra": {long}, "zebr": {before, long}, "café": {long, after}, "filler": {before, long, after},
				"zebra café": {long}, "line 299": {long},
				"zebra filler": nil, // the words of one message, as before

			} {
				got := listAll(t, w.s, desk.UserActor(sup), store.ConversationFilter{Query: q, AllPhases: true, Sort: store.SortUpdated})
				slices.Sort(got)
				slices.Sort(want)
				if len(got) != len(want) || !slices.Equal(got, want) {
					t.Errorf("search %q (plan %v): %v, want %v (before %s, long %s, after %s)", q, plan, got, want, before, long, after)
				}
			}
		}
	})
}
