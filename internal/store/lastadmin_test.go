package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// TestLastAdminSurvivesConcurrentRemovals: the two last admins demoting or
// deleting each other at the same instant leave exactly one admin, on both
// databases. The rule is checked inside the writing transaction with the
// admins' rows locked, so the second write counts after the first commits.
func TestLastAdminSurvivesConcurrentRemovals(t *testing.T) {
	agent := desk.RoleAgent
	demote := func(s *store.Store, id string) error {
		_, err := s.UpdateUser(context.Background(), id, store.UserPatch{Role: &agent})
		return err
	}
	remove := func(s *store.Store, id string) error { return s.DeleteUser(context.Background(), id) }
	pairs := []struct {
		name string
		ops  [2]func(*store.Store, string) error
	}{
		{"two demotions", [2]func(*store.Store, string) error{demote, demote}},
		{"two deletions", [2]func(*store.Store, string) error{remove, remove}},
		{"a demotion, a deletion", [2]func(*store.Store, string) error{demote, remove}},
	}
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s := db.Store
		for k, p := range pairs {
			name, ops := p.name, p.ops
			for round := 0; round < 5; round++ {
				a := fxUser(t, s, fmt.Sprintf("A%d-%d", k, round), desk.RoleAdmin)
				b := fxUser(t, s, fmt.Sprintf("B%d-%d", k, round), desk.RoleAdmin)
				// Only these two are admins: earlier rounds left one admin each,
				// demoted here so the count starts at two.
				for _, u := range listAdmins(t, s) {
					if u.ID != a.ID && u.ID != b.ID {
						if _, err := s.UpdateUser(context.Background(), u.ID, store.UserPatch{Role: &agent}); err != nil {
							t.Fatal(err)
						}
					}
				}
				var wg sync.WaitGroup
				start := make(chan struct{})
				errs := make([]error, 2)
				for i, id := range []string{a.ID, b.ID} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						errs[i] = ops[i](s, id)
					}()
				}
				close(start)
				wg.Wait()
				if n, err := s.CountAdmins(context.Background()); err != nil || n != 1 {
					t.Fatalf("%s, round %d: %d admins left (%v); errors %v", name, round, n, err, errs)
				}
				refused := 0
				for _, err := range errs {
					if err != nil {
						wantCode(t, err, desk.CodeLastAdmin)
						refused++
					}
				}
				if refused != 1 {
					t.Fatalf("%s, round %d: %d refused: %v", name, round, refused, errs)
				}
			}
		}
	})
}

func listAdmins(t *testing.T, s *store.Store) []desk.User {
	t.Helper()
	all, err := s.ListUsers(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []desk.User
	for _, u := range all {
		if u.Role == desk.RoleAdmin {
			out = append(out, u)
		}
	}
	return out
}
