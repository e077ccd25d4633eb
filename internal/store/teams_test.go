package store_test

import (
	"context"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

func fxTeam(t *testing.T, s *store.Store, name, botID string, members ...string) desk.Team {
	t.Helper()
	team, err := s.CreateTeam(context.Background(), desk.Team{Name: name, BotID: botID, MemberIDs: members})
	if err != nil {
		t.Fatalf("CreateTeam %s: %v", name, err)
	}
	return team
}

func TestCreateTeamJoinsMembersToTheBot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		ana := fxUser(t, s, "Ana", desk.RoleAgent)
		team, err := s.CreateTeam(ctx, desk.Team{Name: " Tier 2 ", BotID: b.ID, MemberIDs: []string{ana.ID, ana.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if team.Name != "Tier 2" || team.BotID != b.ID {
			t.Fatalf("team = %+v", team)
		}
		wantIDs(t, "member_ids", team.MemberIDs, ana.ID)
		u, _ := s.GetUser(ctx, ana.ID)
		wantIDs(t, "bot_ids", u.BotIDs, b.ID)
		wantIDs(t, "team_ids", u.TeamIDs, team.ID)
		got, _ := s.GetBot(ctx, b.ID)
		wantIDs(t, "bot member_ids", got.MemberIDs, ana.ID)
	})
}

func TestCreateTeamValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		for _, tc := range []struct {
			name, field string
			team        desk.Team
		}{
			{"no name", "name", desk.Team{BotID: b.ID}},
			{"unknown bot", "bot_id", desk.Team{Name: "t", BotID: "nope"}},
			{"unknown member", "member_ids", desk.Team{Name: "t", BotID: b.ID, MemberIDs: []string{"nope"}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.CreateTeam(ctx, tc.team)
				wantInvalid(t, err, tc.field)
			})
		}
		if list, _ := s.ListTeams(ctx, nil); len(list) != 0 {
			t.Fatalf("a rejected team was stored: %+v", list)
		}
	})
}

func TestUpdateTeamReplacesMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		ana, bea := fxUser(t, s, "Ana", desk.RoleAgent), fxUser(t, s, "Bea", desk.RoleAgent)
		team := fxTeam(t, s, "Tier 2", b.ID, ana.ID)
		name := "Tier 3"
		got, err := s.UpdateTeam(ctx, team.ID, store.TeamPatch{Name: &name, MemberIDs: &[]string{bea.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != name {
			t.Fatalf("team = %+v", got)
		}
		wantIDs(t, "member_ids", got.MemberIDs, bea.ID)
		// Leaving a team does not leave the bot.
		u, _ := s.GetUser(ctx, ana.ID)
		wantIDs(t, "ana.team_ids", u.TeamIDs)
		wantIDs(t, "ana.bot_ids", u.BotIDs, b.ID)
		empty := " "
		_, err = s.UpdateTeam(ctx, team.ID, store.TeamPatch{Name: &empty})
		wantInvalid(t, err, "name")
		_, err = s.UpdateTeam(ctx, team.ID, store.TeamPatch{MemberIDs: &[]string{"nope"}})
		wantInvalid(t, err, "member_ids")
		_, err = s.UpdateTeam(ctx, "missing", store.TeamPatch{Name: &name})
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestDeleteTeamIsSoft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		ana := fxUser(t, s, "Ana", desk.RoleAgent)
		team := fxTeam(t, s, "Tier 2", b.ID, ana.ID)
		if err := s.DeleteTeam(ctx, team.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.GetTeam(ctx, team.ID)
		wantCode(t, err, desk.CodeNotFound)
		wantCode(t, s.DeleteTeam(ctx, team.ID), desk.CodeNotFound)
		name := "back"
		_, err = s.UpdateTeam(ctx, team.ID, store.TeamPatch{Name: &name})
		wantCode(t, err, desk.CodeNotFound)
		if list, _ := s.ListTeams(ctx, nil); len(list) != 0 {
			t.Fatalf("teams = %+v", list)
		}
		u, _ := s.GetUser(ctx, ana.ID)
		wantIDs(t, "team_ids", u.TeamIDs)
		_, err = s.UpdateUser(ctx, ana.ID, store.UserPatch{TeamIDs: &[]string{team.ID}})
		wantInvalid(t, err, "team_ids")
	})
}

func TestListTeamsScopesByBot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b1, b2 := fxBot(t, s, "Sales"), fxBot(t, s, "Support")
		t1, t2, t3 := fxTeam(t, s, "b-team", b1.ID), fxTeam(t, s, "A-team", b1.ID), fxTeam(t, s, "C-team", b2.ID)
		for _, tc := range []struct {
			name string
			bots []string
			want []string
		}{
			{"all by name", nil, []string{t2.ID, t1.ID, t3.ID}},
			{"one bot", []string{b2.ID}, []string{t3.ID}},
			{"no bots", []string{}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				list, err := s.ListTeams(ctx, tc.bots)
				if err != nil {
					t.Fatal(err)
				}
				got := []string{}
				for _, team := range list {
					got = append(got, team.ID)
				}
				wantIDs(t, "teams", got, tc.want...)
			})
		}
	})
}
