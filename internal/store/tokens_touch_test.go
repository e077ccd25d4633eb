package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// A token row read from the settings cache keeps the last_used_at it was
// read with. TouchToken must still write at most once a minute per token
// on a node: here the stored value is set back after the first write, and
// a second touch within the minute, with the same stale row, must not
// write it again.
func TestTouchTokenWritesOnceAMinuteWithAStaleRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		ctx := context.Background()
		w := storetest.NewWorld(t, db, storetest.WorldOptions{})
		tok, err := db.Store.CreateToken(ctx, "crm", w.Bot.ID, w.Admin.ID, "hash-touch")
		if err != nil {
			t.Fatal(err)
		}
		stale := tok // as the cache holds it: never used
		if err := db.Store.TouchToken(ctx, stale); err != nil {
			t.Fatal(err)
		}
		db.Exec(t, `UPDATE tokens SET last_used_at = NULL WHERE id = $1`, tok.ID)
		db.Clock.Advance(30 * time.Second)
		if err := db.Store.TouchToken(ctx, stale); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(t, db, tok.ID); got != nil {
			t.Fatalf("a second touch within the minute wrote last_used_at %v", got)
		}
		db.Clock.Advance(store.TokenTouchEvery)
		if err := db.Store.TouchToken(ctx, stale); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(t, db, tok.ID); got == nil || !got.Equal(db.Clock.Now()) {
			t.Fatalf("after the minute: last_used_at %v, want %v", got, db.Clock.Now())
		}
	})
}

func lastUsed(t *testing.T, db *storetest.DB, id string) *time.Time {
	t.Helper()
	list, err := db.Store.ListTokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range list {
		if tok.ID == id {
			return tok.LastUsedAt
		}
	}
	t.Fatalf("token %s not listed", id)
	return nil
}
