package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Browsers racing on the setup page (or nodes starting with
// RELEVO_ADMIN_EMAIL at once) make exactly one first admin; every other
// attempt is told setup_done, on both databases.
func TestCreateFirstAdminHasOneWinner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		const racers = 6
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, racers)
		for i := range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				// Different emails: the unique index on email is not what
				// keeps the second admin out.
				_, errs[i] = s.CreateFirstAdmin(ctx, desk.User{Name: fmt.Sprint("Admin ", i), Email: fmt.Sprintf("a%d@example.com", i)}, "h")
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
			} else {
				wantCode(t, err, desk.CodeSetupDone)
			}
		}
		if n, err := s.CountAdmins(ctx); won != 1 || n != 1 || err != nil {
			t.Fatalf("%d winners, %d admins (%v); errors %v", won, n, err, errs)
		}
		// Later attempts are refused too, and the role is always admin.
		_, err := s.CreateFirstAdmin(ctx, desk.User{Name: "Late", Email: "late@example.com"}, "h")
		wantCode(t, err, desk.CodeSetupDone)
		for _, u := range listAdmins(t, s) {
			if u.Role != desk.RoleAdmin {
				t.Fatalf("first admin has role %s", u.Role)
			}
		}
	})
}

// An invalid first admin is refused by field before anything is written.
func TestCreateFirstAdminValidates(t *testing.T) {
	s, ctx := storetest.Open(t, "sqlite", nil).Store, context.Background()
	_, err := s.CreateFirstAdmin(ctx, desk.User{Name: "No Email", Email: "nope"}, "h")
	wantInvalid(t, err, "email")
	_, err = s.CreateFirstAdmin(ctx, desk.User{Name: " ", Email: "a@example.com"}, "h")
	wantInvalid(t, err, "name")
	if n, _ := s.CountAdmins(ctx); n != 0 {
		t.Fatalf("%d admins after refused setups", n)
	}
}

// A new password ends the user's sessions in the same transaction, but
// the one the caller keeps (their own, changing their own password).
func TestNewPasswordEndsSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		u := fxUser(t, s, "Ana", desk.RoleAgent)
		for _, h := range []string{"s1", "s2", "s3"} {
			if err := s.CreateSession(ctx, u.ID, h, time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		hash := "new-hash"
		if _, err := s.UpdateUser(ctx, u.ID, store.UserPatch{PasswordHash: &hash, KeepSession: "s2"}); err != nil {
			t.Fatal(err)
		}
		for h, live := range map[string]bool{"s1": false, "s2": true, "s3": false} {
			_, err := s.UserBySession(ctx, h)
			if (err == nil) != live {
				t.Errorf("session %s: live %v, want %v (%v)", h, err == nil, live, err)
			}
		}
		// A reset by someone else keeps none.
		if _, err := s.UpdateUser(ctx, u.ID, store.UserPatch{PasswordHash: &hash}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UserBySession(ctx, "s2"); !desk.IsCode(err, desk.CodeUnauthenticated) {
			t.Errorf("session s2 after a reset: %v", err)
		}
		// Other changes end nothing.
		if err := s.CreateSession(ctx, u.ID, "s4", time.Hour); err != nil {
			t.Fatal(err)
		}
		name := "Ana B"
		if _, err := s.UpdateUser(ctx, u.ID, store.UserPatch{Name: &name}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UserBySession(ctx, "s4"); err != nil {
			t.Errorf("a rename ended the session: %v", err)
		}
	})
}
