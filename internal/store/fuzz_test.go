package store_test

import (
	"context"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// FuzzSearchQuery feeds arbitrary text to the full-text filter: whatever a
// user types, the list answers (possibly empty), never an SQL or FTS error.
func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"invoice", `"`, `*`, "AND OR NOT", "a-b", "NEAR(a b)", "(", "col:val", "^x", "é ü ñ", "5535998765432", "'; DROP TABLE x; --", "\x00"} {
		f.Add(s)
	}
	db := storetest.Open(f, "sqlite", nil)
	ctx := context.Background()
	actor := desk.Actor{System: true}
	f.Fuzz(func(t *testing.T, q string) {
		_, _, err := db.Store.ListConversations(ctx, actor, store.ConversationFilter{Query: q, AllPhases: true})
		if err != nil {
			t.Fatalf("q %q: %v", q, err)
		}
	})
}

// FuzzCursor: a cursor is opaque; any string either decodes or is refused
// with validation_failed.
func FuzzCursor(f *testing.F) {
	for _, s := range []string{"", "bzUw", "!!!", "bw", "b-1"} {
		f.Add(s)
	}
	db := storetest.Open(f, "sqlite", nil)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, c string) {
		_, _, err := db.Store.ListConversations(ctx, desk.Actor{System: true}, store.ConversationFilter{Cursor: c})
		if err != nil && !desk.IsCode(err, desk.CodeValidationFailed) {
			t.Fatalf("cursor %q: %v", c, err)
		}
	})
}
