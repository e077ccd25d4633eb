package store_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Fixtures of the settings tests are named fx* (fxBot, fxUser, fxTeam,
// fxChannel, fxContact), each beside the tests of its object.

func fxUser(t *testing.T, s *store.Store, name string, role desk.Role, botIDs ...string) desk.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), desk.User{Name: name, Email: strings.ToLower(name) + "@example.com",
		Role: role, BotIDs: botIDs}, "hash-"+name)
	if err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
	return u
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, err error, code desk.Code) {
	t.Helper()
	if !desk.IsCode(err, code) {
		t.Fatalf("err = %v, want code %s", err, code)
	}
}

// wantInvalid fails unless err is validation_failed on field.
func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	var de *desk.Error
	if !errors.As(err, &de) || de.Code != desk.CodeValidationFailed || de.Details["field"] != field {
		t.Fatalf("err = %v, want validation_failed on %s", err, field)
	}
}

func wantIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if got == nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("%s = %#v, want %#v", what, got, want)
	}
}

func TestCreateUserStartsOfflineWithMemberships(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b1, b2 := fxBot(t, s, "Sales"), fxBot(t, s, "Support")
		team := fxTeam(t, s, "Tier 2", b2.ID)
		u, err := s.CreateUser(ctx, desk.User{Name: "  Ana  ", Email: " Ana@Example.COM ", Role: desk.RoleAgent,
			MaxChats: 5, BotIDs: []string{b1.ID, b1.ID}, TeamIDs: []string{team.ID}}, "h")
		if err != nil {
			t.Fatal(err)
		}
		if u.ID == "" || u.Name != "Ana" || u.Email != "ana@example.com" || u.Status != desk.StatusOffline || u.MaxChats != 5 ||
			!u.CreatedAt.Equal(storetest.Epoch) {
			t.Fatalf("user = %+v", u)
		}
		// The team's bot comes with the team: a team member must see its queue.
		wantIDs(t, "bot_ids", u.BotIDs, sortedIDs(b1.ID, b2.ID)...)
		wantIDs(t, "team_ids", u.TeamIDs, team.ID)
		got, err := s.GetUser(ctx, u.ID)
		if err != nil || !reflect.DeepEqual(got, u) {
			t.Fatalf("GetUser = %+v, %v; want %+v", got, err, u)
		}
	})
}

func TestCreateUserValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		ok := desk.User{Name: "Ana", Email: "ana@example.com", Role: desk.RoleAgent}
		for _, tc := range []struct {
			name, field string
			edit        func(u *desk.User)
		}{
			{"empty name", "name", func(u *desk.User) { u.Name = "  " }},
			{"long name", "name", func(u *desk.User) { u.Name = strings.Repeat("é", 201) }},
			{"email without at", "email", func(u *desk.User) { u.Email = "ana.example.com" }},
			{"long email", "email", func(u *desk.User) { u.Email = strings.Repeat("a", 250) + "@x.io" }},
			{"unknown role", "role", func(u *desk.User) { u.Role = "boss" }},
			{"negative max chats", "max_chats", func(u *desk.User) { u.MaxChats = -1 }},
			{"too many max chats", "max_chats", func(u *desk.User) { u.MaxChats = 101 }},
			{"unknown bot", "bot_ids", func(u *desk.User) { u.BotIDs = []string{"nope"} }},
			{"unknown team", "team_ids", func(u *desk.User) { u.TeamIDs = []string{"nope"} }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := ok
				tc.edit(&u)
				_, err := s.CreateUser(ctx, u, "h")
				wantInvalid(t, err, tc.field)
			})
		}
		if users, _ := s.ListUsers(ctx, nil); len(users) != 0 {
			t.Fatalf("a rejected user was stored: %+v", users)
		}
	})
}

func TestCreateUserRejectsDuplicateEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		u := fxUser(t, s, "Ana", desk.RoleAgent)
		_, err := s.CreateUser(ctx, desk.User{Name: "Other", Email: "ANA@example.com", Role: desk.RoleAgent}, "h")
		wantCode(t, err, desk.CodeConflict)
		// A deleted user's email is free again.
		if err := s.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, desk.User{Name: "Ana 2", Email: "ana@example.com", Role: desk.RoleAgent}, "h"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestUpdateUserPatchesOnlyGivenFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		u := fxUser(t, s, "Ana", desk.RoleAgent, b.ID)
		fxUser(t, s, "Bea", desk.RoleAgent)
		name, role, maxChats, hash := "Ana Maria", desk.RoleSupervisor, 7, "new-hash"
		got, err := s.UpdateUser(ctx, u.ID, store.UserPatch{Name: &name, Role: &role, MaxChats: &maxChats, PasswordHash: &hash})
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != name || got.Role != role || got.MaxChats != 7 || got.Email != u.Email {
			t.Fatalf("user = %+v", got)
		}
		wantIDs(t, "bot_ids", got.BotIDs, b.ID)
		if _, h, err := s.UserByEmail(ctx, u.Email); err != nil || h != hash {
			t.Fatalf("hash = %q, %v", h, err)
		}
		taken, bad := "BEA@example.com", "nope"
		_, err = s.UpdateUser(ctx, u.ID, store.UserPatch{Email: &taken})
		wantCode(t, err, desk.CodeConflict)
		_, err = s.UpdateUser(ctx, u.ID, store.UserPatch{Email: &bad})
		wantInvalid(t, err, "email")
		_, err = s.UpdateUser(ctx, "missing", store.UserPatch{Name: &name})
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestUpdateUserLeavingBotLeavesItsTeams(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b1, b2 := fxBot(t, s, "Sales"), fxBot(t, s, "Support")
		u := fxUser(t, s, "Ana", desk.RoleAgent, b1.ID, b2.ID)
		t1, t2 := fxTeam(t, s, "Closers", b1.ID, u.ID), fxTeam(t, s, "Tier 2", b2.ID, u.ID)
		got, err := s.UpdateUser(ctx, u.ID, store.UserPatch{BotIDs: &[]string{b2.ID}})
		if err != nil {
			t.Fatal(err)
		}
		wantIDs(t, "bot_ids", got.BotIDs, b2.ID)
		wantIDs(t, "team_ids", got.TeamIDs, t2.ID)
		// Joining a team through the user joins its bot again.
		got, err = s.UpdateUser(ctx, u.ID, store.UserPatch{TeamIDs: &[]string{t1.ID}})
		if err != nil {
			t.Fatal(err)
		}
		wantIDs(t, "bot_ids", got.BotIDs, sortedIDs(b1.ID, b2.ID)...)
		wantIDs(t, "team_ids", got.TeamIDs, t1.ID)
		_, err = s.UpdateUser(ctx, u.ID, store.UserPatch{TeamIDs: &[]string{"nope"}})
		wantInvalid(t, err, "team_ids")
	})
}

func TestDeleteUserIsSoft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		u := fxUser(t, s, "Ana", desk.RoleAgent, b.ID)
		team := fxTeam(t, s, "Tier 2", b.ID, u.ID)
		if err := s.CreateSession(ctx, u.ID, "session-hash", 3*time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.GetUser(ctx, u.ID)
		wantCode(t, err, desk.CodeNotFound)
		_, _, err = s.UserByEmail(ctx, u.Email)
		wantCode(t, err, desk.CodeNotFound)
		_, err = s.UserBySession(ctx, "session-hash")
		wantCode(t, err, desk.CodeUnauthenticated)
		wantCode(t, s.DeleteUser(ctx, u.ID), desk.CodeNotFound)
		if got, _ := s.GetBot(ctx, b.ID); len(got.MemberIDs) != 0 {
			t.Fatalf("bot members = %v", got.MemberIDs)
		}
		if got, _ := s.GetTeam(ctx, team.ID); len(got.MemberIDs) != 0 {
			t.Fatalf("team members = %v", got.MemberIDs)
		}
		if users, _ := s.ListUsers(ctx, nil); len(users) != 0 {
			t.Fatalf("users = %+v", users)
		}
	})
}

func TestListUsersScopesByBot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b1, b2 := fxBot(t, s, "Sales"), fxBot(t, s, "Support")
		zed := fxUser(t, s, "zed", desk.RoleAgent, b1.ID)
		bob := fxUser(t, s, "Bob", desk.RoleAgent, b2.ID)
		amy := fxUser(t, s, "Amy", desk.RoleAdmin)
		cid := fxUser(t, s, "Cid", desk.RoleSupervisor, b1.ID, b2.ID)
		for _, tc := range []struct {
			name string
			bots []string
			want []string
		}{
			{"all", nil, []string{amy.ID, bob.ID, cid.ID, zed.ID}},
			{"one bot", []string{b1.ID}, []string{amy.ID, cid.ID, zed.ID}},
			{"no bots: admins only", []string{}, []string{amy.ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				users, err := s.ListUsers(ctx, tc.bots)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, u := range users {
					got = append(got, u.ID)
				}
				wantIDs(t, "users", got, tc.want...)
			})
		}
	})
}

func TestUserByEmailIgnoresCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		u := fxUser(t, s, "Ana", desk.RoleAgent)
		got, hash, err := s.UserByEmail(ctx, "  ANA@Example.com ")
		if err != nil || got.ID != u.ID || hash != "hash-Ana" {
			t.Fatalf("UserByEmail = %+v, %q, %v", got, hash, err)
		}
		_, _, err = s.UserByEmail(ctx, "nobody@example.com")
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestCountAdminsSkipsDeletedAndOtherRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		fxUser(t, s, "Amy", desk.RoleAdmin)
		gone := fxUser(t, s, "Bo", desk.RoleAdmin)
		fxUser(t, s, "Cid", desk.RoleSupervisor)
		if err := s.DeleteUser(ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := s.CountAdmins(ctx); err != nil || n != 1 {
			t.Fatalf("CountAdmins = %d, %v", n, err)
		}
	})
}

func TestDeleteUserAnnouncesLogout(t *testing.T) {
	for _, name := range storetest.Dialects() {
		t.Run(name, func(t *testing.T) {
			var got []desk.Change
			db := storetest.Open(t, name, func(o *store.Options) {
				o.OnCommit = func(c []desk.Change) { got = append(got, c...) }
			})
			u := fxUser(t, db.Store, "Ana", desk.RoleAgent)
			if err := db.Store.DeleteUser(context.Background(), u.ID); err != nil {
				t.Fatal(err)
			}
			want := []desk.Change{{Type: desk.ChangeUserLoggedOut, UserID: u.ID}}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("changes = %+v, want %+v", got, want)
			}
		})
	}
}

// sortedIDs is ids in the order the store lists memberships.
func sortedIDs(ids ...string) []string {
	out := append([]string(nil), ids...)
	slices.Sort(out)
	return out
}
