package store_test

import (
	"fmt"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The broad plan of a search (a common word: walk the list's order and
// test each conversation) returns the narrow plan's rows in the same order,
// page by page, for both sorts, for a word, a contact's name and a
// protocol.
func TestSearchBroadPlanListsWhatTheNarrowOneDoes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w, ana, _, c, names := qSortWorld(t, db)
		proto, err := w.s.GetConversation(w.ctx, desk.UserActor(ana), c[3])
		if err != nil {
			t.Fatal(err)
		}
		if proto.Protocol == nil {
			t.Fatal("no protocol")
		}
		pages := func(broad int, f store.ConversationFilter, limit int) []string {
			store.SetBroadSearch(w.s, broad)
			var got []string
			cursor := ""
			for i := 0; i <= len(c); i++ {
				f.Limit, f.Cursor = limit, cursor
				page, next, err := w.s.ListConversations(w.ctx, desk.UserActor(ana), f)
				if err != nil {
					t.Fatal(err)
				}
				got, cursor = append(got, qIDs(page)...), next
				if cursor == "" {
					break
				}
			}
			return got
		}
		for _, q := range []string{"first", "fir", "again", "C3", "first again", *proto.Protocol, "nothing"} {
			for _, sort := range []string{store.SortWaiting, store.SortUpdated} {
				for _, f := range []store.ConversationFilter{{Query: q, Sort: sort}, {Query: q, Sort: sort, AllPhases: true}} {
					narrow := pages(1<<30, f, 50)
					if q == "first" && len(narrow) < 4 {
						t.Fatalf("%q %s: %d rows, the world has more", q, sort, len(narrow))
					}
					// SQLite's broad plan collects the matches once up
					// to a threshold, then seeks per conversation: both.
					for _, collect := range []int{0, -1} {
						store.SetCollectSearch(w.s, collect)
						for _, limit := range []int{1, 4, 50} {
							qSameOrder(t, fmt.Sprintf("%s %s broad (collect %d)", q, sort, collect), names, pages(-1, f, limit), narrow...)
						}
					}
					store.SetCollectSearch(w.s, 0)
					// A threshold of 1: a word in no message but in a
					// contact's name takes the narrow plan with at least
					// as many matching contacts as the threshold.
					qSameOrder(t, q+" "+sort+" threshold 1", names, pages(1, f, 50), narrow...)
				}
			}
		}
	})
}
