package store_test

import (
	"context"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

func TestCreateTokenIsFoundByHash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		admin := fxUser(t, s, "Amy", desk.RoleAdmin)
		tok, err := s.CreateToken(ctx, " Rasa ", b.ID, admin.ID, "hash-1")
		if err != nil {
			t.Fatal(err)
		}
		want := store.Token{ID: tok.ID, Name: "Rasa", BotID: b.ID, CreatedBy: admin.ID, CreatedAt: storetest.Epoch}
		if tok != want {
			t.Fatalf("token = %+v", tok)
		}
		if got, err := s.TokenByHash(ctx, "hash-1"); err != nil || got != want {
			t.Fatalf("TokenByHash = %+v, %v", got, err)
		}
		_, err = s.TokenByHash(ctx, "hash-2")
		wantCode(t, err, desk.CodeNotFound)
		_, err = s.CreateToken(ctx, "Again", "", admin.ID, "hash-1")
		wantCode(t, err, desk.CodeConflict)
	})
}

func TestCreateTokenValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		_, err := s.CreateToken(ctx, " ", "", "u", "h1")
		wantInvalid(t, err, "name")
		_, err = s.CreateToken(ctx, "Rasa", "nope", "u", "h2")
		wantInvalid(t, err, "bot_id")
		if list, err := s.ListTokens(ctx); err != nil || list == nil || len(list) != 0 {
			t.Fatalf("ListTokens = %#v, %v", list, err)
		}
	})
}

func TestRevokedTokenIsNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		old, err := s.CreateToken(ctx, "Old", "", "u", "hash-old")
		if err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(1000)
		kept, err := s.CreateToken(ctx, "Kept", "", "u", "hash-kept")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(ctx, old.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.TokenByHash(ctx, "hash-old")
		wantCode(t, err, desk.CodeNotFound)
		wantCode(t, s.RevokeToken(ctx, old.ID), desk.CodeNotFound)
		wantCode(t, s.RevokeToken(ctx, "missing"), desk.CodeNotFound)
		list, err := s.ListTokens(ctx)
		if err != nil || len(list) != 1 || list[0] != kept {
			t.Fatalf("ListTokens = %+v, %v", list, err)
		}
	})
}

// A token's own rate is stored with it, read with it by hash (what the
// limiter uses on every request), changed and cleared; out of bounds it is
// refused and nothing changes.
func TestTokenRateLimitIsStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		five, zero := 5, 0
		tok, err := s.CreateTokenRate(ctx, "Slow", "", "u", "hash-slow", &five)
		if err != nil || tok.RateLimit == nil || *tok.RateLimit != 5 {
			t.Fatalf("CreateTokenRate = %+v, %v", tok, err)
		}
		rate := func() *int {
			t.Helper()
			got, err := s.TokenByHash(ctx, "hash-slow")
			if err != nil {
				t.Fatal(err)
			}
			return got.RateLimit
		}
		if r := rate(); r == nil || *r != 5 {
			t.Fatalf("TokenByHash rate %v, want 5", r)
		}
		_, err = s.CreateTokenRate(ctx, "Zero", "", "u", "hash-zero", &zero)
		wantCode(t, err, desk.CodeValidationFailed)
		big := desk.MaxRate + 1
		_, err = s.SetTokenRate(ctx, tok.ID, &big)
		wantCode(t, err, desk.CodeValidationFailed)
		if r := rate(); r == nil || *r != 5 {
			t.Fatalf("a refused change left rate %v", r)
		}
		max := desk.MaxRate
		if got, err := s.SetTokenRate(ctx, tok.ID, &max); err != nil || got.RateLimit == nil || *got.RateLimit != max || got.Name != "Slow" {
			t.Fatalf("SetTokenRate max = %+v, %v", got, err)
		}
		if got, err := s.SetTokenRate(ctx, tok.ID, nil); err != nil || got.RateLimit != nil {
			t.Fatalf("SetTokenRate nil = %+v, %v", got, err)
		}
		if r := rate(); r != nil {
			t.Fatalf("rate after clearing: %v", *r)
		}
		_, err = s.SetTokenRate(ctx, "missing", &five)
		wantCode(t, err, desk.CodeNotFound)
		if err := s.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.SetTokenRate(ctx, tok.ID, &five)
		wantCode(t, err, desk.CodeNotFound)
	})
}
