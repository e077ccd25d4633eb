package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

func TestSessionFindsItsUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		u := fxUser(t, s, "Ana", desk.RoleAgent, b.ID)
		if err := s.CreateSession(ctx, u.ID, "s1", time.Hour); err != nil {
			t.Fatal(err)
		}
		got, err := s.UserBySession(ctx, "s1")
		if err != nil || !reflect.DeepEqual(got, u) {
			t.Fatalf("UserBySession = %+v, %v; want %+v", got, err, u)
		}
		_, err = s.UserBySession(ctx, "s2")
		wantCode(t, err, desk.CodeUnauthenticated)
		wantCode(t, s.CreateSession(ctx, "missing", "s3", time.Hour), desk.CodeNotFound)
		wantCode(t, s.CreateSession(ctx, u.ID, "s1", time.Hour), desk.CodeConflict)
	})
}

func TestSessionExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		u := fxUser(t, s, "Ana", desk.RoleAgent)
		if err := s.CreateSession(ctx, u.ID, "s1", time.Hour); err != nil {
			t.Fatal(err)
		}
		// With more than half the hour left, a request does not renew it.
		db.Clock.Advance(20 * time.Minute)
		if _, err := s.UserBySession(ctx, "s1"); err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(40 * time.Minute)
		_, err := s.UserBySession(ctx, "s1")
		wantCode(t, err, desk.CodeUnauthenticated)
	})
}

func TestSessionSlidesWhenPastHalfItsLife(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		u := fxUser(t, s, "Ana", desk.RoleAgent)
		if err := s.CreateSession(ctx, u.ID, "s1", time.Hour); err != nil {
			t.Fatal(err)
		}
		// Each step is past half the lifetime: renewed to a full hour from
		// now, never more, so the lifetime does not grow.
		for i := 0; i < 3; i++ {
			db.Clock.Advance(40 * time.Minute)
			if _, err := s.UserBySession(ctx, "s1"); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
		db.Clock.Advance(time.Hour)
		_, err := s.UserBySession(ctx, "s1")
		wantCode(t, err, desk.CodeUnauthenticated)
	})
}

func TestSessionOfDeletedUserIsUnauthenticated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		u := fxUser(t, s, "Ana", desk.RoleAgent)
		fxUser(t, s, "Amy", desk.RoleAdmin)
		if err := s.CreateSession(ctx, u.ID, "s1", time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.UserBySession(ctx, "s1")
		wantCode(t, err, desk.CodeUnauthenticated)
	})
}

func TestDeleteSessionsLogsOut(t *testing.T) {
	for _, name := range storetest.Dialects() {
		t.Run(name, func(t *testing.T) {
			var changes []desk.Change
			db := storetest.Open(t, name, func(o *store.Options) {
				o.OnCommit = func(c []desk.Change) { changes = append(changes, c...) }
			})
			s, ctx := db.Store, context.Background()
			u := fxUser(t, s, "Ana", desk.RoleAgent)
			for _, h := range []string{"s1", "s2", "s3"} {
				if err := s.CreateSession(ctx, u.ID, h, time.Hour); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.DeleteSession(ctx, "s1"); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteSession(ctx, "s1"); err != nil {
				t.Fatalf("second logout: %v", err)
			}
			_, err := s.UserBySession(ctx, "s1")
			wantCode(t, err, desk.CodeUnauthenticated)
			if _, err := s.UserBySession(ctx, "s2"); err != nil {
				t.Fatal(err)
			}
			n, err := s.DeleteUserSessions(ctx, u.ID)
			if err != nil || n != 2 {
				t.Fatalf("DeleteUserSessions = %d, %v", n, err)
			}
			_, err = s.UserBySession(ctx, "s3")
			wantCode(t, err, desk.CodeUnauthenticated)
			want := []desk.Change{{Type: desk.ChangeUserLoggedOut, UserID: u.ID}}
			if !reflect.DeepEqual(changes, want) {
				t.Fatalf("changes = %+v, want %+v", changes, want)
			}
		})
	}
}

func TestSweepSessionsDeletesExpired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		u := fxUser(t, s, "Ana", desk.RoleAgent)
		if err := s.CreateSession(ctx, u.ID, "short", time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, u.ID, "long", time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordLoginFailure(ctx, []string{"ip:1"}, 15*time.Minute); err != nil {
			t.Fatal(err)
		}
		db.Clock.Advance(16 * time.Minute)
		if n, err := s.SweepSessions(ctx, 15*time.Minute); err != nil || n != 1 {
			t.Fatalf("SweepSessions = %d, %v", n, err)
		}
		if _, err := s.UserBySession(ctx, "long"); err != nil {
			t.Fatal(err)
		}
		// The failure window was swept: counting starts again from one.
		if err := s.RecordLoginFailure(ctx, []string{"ip:1"}, 15*time.Minute); err != nil {
			t.Fatal(err)
		}
		if d, err := s.LoginThrottled(ctx, []string{"ip:1"}, 2, 15*time.Minute); err != nil || d != 0 {
			t.Fatalf("LoginThrottled = %v, %v", d, err)
		}
	})
}

func TestLoginThrottleAcrossKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		const maxFail, window = 3, 15 * time.Minute
		for i := 0; i < maxFail; i++ {
			if err := s.RecordLoginFailure(ctx, []string{"ip:10.0.0.1", "email:ana@example.com"}, window); err != nil {
				t.Fatal(err)
			}
			db.Clock.Advance(time.Minute)
		}
		// 3 minutes into the window: 12 minutes to wait.
		for _, tc := range []struct {
			name string
			keys []string
			want time.Duration
		}{
			{"same keys", []string{"ip:10.0.0.1", "email:ana@example.com"}, 12 * time.Minute},
			{"same address, other email", []string{"ip:10.0.0.1", "email:bea@example.com"}, 12 * time.Minute},
			{"same email, other address", []string{"ip:10.0.0.2", "email:ana@example.com"}, 12 * time.Minute},
			{"other keys", []string{"ip:10.0.0.2", "email:bea@example.com"}, 0},
			{"no keys", nil, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.LoginThrottled(ctx, tc.keys, maxFail, window)
				if err != nil || got != tc.want {
					t.Fatalf("LoginThrottled = %v, %v; want %v", got, err, tc.want)
				}
			})
		}
		if got, _ := s.LoginThrottled(ctx, []string{"ip:10.0.0.1"}, maxFail+1, window); got != 0 {
			t.Fatalf("under a higher max: %v", got)
		}
		if err := s.ClearLoginFailures(ctx, []string{"email:ana@example.com"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.LoginThrottled(ctx, []string{"email:ana@example.com"}, maxFail, window); got != 0 {
			t.Fatalf("after clearing: %v", got)
		}
	})
}

func TestLoginThrottleWindowRestarts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		const window = 15 * time.Minute
		keys := []string{"ip:10.0.0.1"}
		for i := 0; i < 2; i++ {
			if err := s.RecordLoginFailure(ctx, keys, window); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := s.LoginThrottled(ctx, keys, 2, window); got != window {
			t.Fatalf("throttled for %v, want %v", got, window)
		}
		db.Clock.Advance(window)
		if got, _ := s.LoginThrottled(ctx, keys, 2, window); got != 0 {
			t.Fatalf("after the window: %v", got)
		}
		// A failure after the window starts a new one at one failure.
		if err := s.RecordLoginFailure(ctx, keys, window); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.LoginThrottled(ctx, keys, 2, window); got != 0 {
			t.Fatalf("one failure in the new window throttles: %v", got)
		}
		db.Clock.Advance(time.Minute)
		if err := s.RecordLoginFailure(ctx, keys, window); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.LoginThrottled(ctx, keys, 2, window); got != window-time.Minute {
			t.Fatalf("throttled for %v, want %v", got, window-time.Minute)
		}
	})
}
