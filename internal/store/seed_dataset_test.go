package store_test

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// The large dataset's generator (`relevo bench dataset`) at a tiny size:
// every conversation holds the asked number of messages, and a search for
// a word finds exactly the conversations whose messages contain it, in
// both search plans: the loaded rows are indexed as stored messages are
// (FTS triggers on SQLite; on PostgreSQL, COPY into the generated,
// GIN-indexed column).
func TestSeedDatasetIsCountedAndFoundByItsWords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		ctx, s := context.Background(), db.Store
		var progress [][2]int
		w, err := s.Seed(ctx, store.SeedOptions{Conversations: 200, Batch: 64, Messages: 10,
			Progress: func(c, m int) { progress = append(progress, [2]int{c, m}) }})
		if err != nil {
			t.Fatal(err)
		}
		if w.Conversations != 200 || len(progress) != 4 || progress[3] != [2]int{200, 2000} {
			t.Fatalf("conversations %d, progress %v; want 200 and 4 batches ending at 200, 2000", w.Conversations, progress)
		}
		sup := desk.UserActor(w.Supervisor)
		ids := listAll(t, s, sup, store.ConversationFilter{AllPhases: true, Sort: store.SortUpdated})
		if len(ids) != 200 {
			t.Fatalf("the supervisor lists %d conversations, want 200", len(ids))
		}
		// Which conversations hold each word prefix, read through the
		// ordinary timeline (events are not searchable text).
		texts := map[string][]string{}
		var tail string
		for _, id := range ids {
			msgs, err := s.ListMessages(ctx, sup, id, store.MessagePage{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 10 || msgs[0].Seq != 1 || msgs[9].Seq != 10 {
				t.Fatalf("conversation %s: %d messages, want seq 1 to 10", id, len(msgs))
			}
			for _, m := range msgs {
				if m.Kind == desk.KindEvent {
					continue
				}
				texts[id] = append(texts[id], m.Text)
				for _, word := range strings.Fields(m.Text) {
					if tail == "" && strings.HasPrefix(word, "zy") {
						tail = word
					}
				}
			}
		}
		if tail == "" {
			t.Fatal("no word of the vocabulary's tail in 2,000 messages")
		}
		common := store.SeedWord(0)
		for _, q := range []string{common, "refund", tail, tail[:4]} {
			want := map[string]bool{}
			for id, lines := range texts {
				for _, l := range lines {
					if hasWordPrefix(l, q) {
						want[id] = true
					}
				}
			}
			if len(want) == 0 {
				t.Fatalf("%q is in no conversation", q)
			}
			// Narrow; broad collecting the matches once; broad seeking per
			// conversation (SQLite).
			for _, plan := range [][2]int{{1 << 30, 0}, {-1, 0}, {-1, -1}} {
				store.SetBroadSearch(s, plan[0])
				store.SetCollectSearch(s, plan[1])
				got := listAll(t, s, sup, store.ConversationFilter{Query: q, AllPhases: true, Sort: store.SortUpdated})
				if len(got) != len(want) {
					t.Errorf("search %q (plan %v): %d conversations, want %d", q, plan, len(got), len(want))
				}
				for _, id := range got {
					if !want[id] {
						t.Errorf("search %q (plan %v) lists %s, which holds no such word", q, plan, id)
					}
				}
			}
			store.SetCollectSearch(s, 0)
			if q == common && len(want) < 100 {
				t.Errorf("the most common word is in %d of 200 conversations", len(want))
			}
		}
	})
}

// listAll pages through a list to its end.
func listAll(t *testing.T, s *store.Store, actor desk.Actor, f store.ConversationFilter) []string {
	t.Helper()
	var ids []string
	f.Limit = 37 // pages that do not divide the total
	for {
		page, next, err := s.ListConversations(context.Background(), actor, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			ids = append(ids, c.ID)
		}
		if next == "" {
			return ids
		}
		f.Cursor = next
	}
}

// hasWordPrefix tells whether a word of text, split as the search splits
// (letters and digits), starts with q.
func hasWordPrefix(text, q string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if strings.HasPrefix(w, q) {
			return true
		}
	}
	return false
}
