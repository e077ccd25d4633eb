package store_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Every small write transaction leaves SQLite's message index one segment
// more, and the broad search seeks each word once per segment. The merge
// step brings a dozen segments down to a few, and every plan finds what it
// found before. PostgreSQL has no segments: the step does nothing there.
func TestSearchIndexMergesIntoFewSegments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		w := qNew(t, db)
		b := w.bot("A")
		ch := w.channel(b, "api")
		sup := w.user("Sue", desk.RoleSupervisor, b)
		fruit := []string{"apple", "banana", "cherry"}
		ids := map[string][]string{}
		for i := range 12 { // one message per write transaction
			id := w.sayAs(ch, fmt.Sprintf("C%d", i), fmt.Sprintf("%s order %d", fruit[i%3], i))
			ids[fruit[i%3]] = append(ids[fruit[i%3]], id)
			ids["order"] = append(ids["order"], id)
			if i == 7 {
				ids["order 7"] = []string{id}
			}
		}
		want := map[string][]string{
			"apple": ids["apple"], "ban": ids["banana"], "cherry order": ids["cherry"],
			"order": ids["order"], "order 7": ids["order 7"], "apple banana": nil,
		}
		search := func(when string) {
			t.Helper()
			for _, plan := range [][2]int{{1 << 30, 0}, {-1, 0}, {-1, -1}} {
				store.SetBroadSearch(w.s, plan[0])
				store.SetCollectSearch(w.s, plan[1])
				for q, ids := range want {
					got := listAll(t, w.s, desk.UserActor(sup), store.ConversationFilter{Query: q, AllPhases: true, Sort: store.SortUpdated})
					ids = slices.Clone(ids)
					slices.Sort(got)
					slices.Sort(ids)
					if !slices.Equal(got, ids) {
						t.Errorf("%s, search %q (plan %v): %v, want %v", when, q, plan, got, ids)
					}
				}
			}
		}
		search("before merging")

		sqlite := w.s.Dialect() == "sqlite"
		before, err := w.s.SearchSegments(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sqlite && before.Total < 8 {
			t.Fatalf("%d segments (%v) after 12 write transactions: the test needs at least 8", before.Total, before.Levels)
		}
		if n, err := store.SearchSegmentIDs(w.ctx, w.s); sqlite && (err != nil || n != before.Total) {
			t.Errorf("before merging, the term index names %d segments (%v), the structure record %d", n, err, before.Total)
		}
		steps := 0
		for ; steps < 100; steps++ {
			ran, err := w.s.MergeSearchIndex(w.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !ran {
				break
			}
		}
		after, err := w.s.SearchSegments(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !sqlite {
			if steps != 0 || after.Total != 0 {
				t.Fatalf("PostgreSQL: %d merge steps, %d segments; want none", steps, after.Total)
			}
		} else {
			if after.Total > 4 || after.Mergeable() {
				t.Errorf("after %d merge steps: %d segments %v (mergeable %v), want at most 4 and nothing left to merge",
					steps, after.Total, after.Levels, after.Mergeable())
			}
			if n, err := store.SearchSegmentIDs(w.ctx, w.s); err != nil || n != after.Total {
				t.Errorf("the term index names %d segments (%v), the structure record %d", n, err, after.Total)
			}
			t.Logf("segments %d %v → %d %v in %d steps", before.Total, before.Levels, after.Total, after.Levels, steps)
		}
		search("after merging")
	})
}
