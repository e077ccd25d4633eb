package store_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

func fxBot(t *testing.T, s *store.Store, name string, members ...string) desk.Bot {
	t.Helper()
	b, err := s.CreateBot(context.Background(), desk.Bot{Name: name, MemberIDs: members})
	if err != nil {
		t.Fatalf("CreateBot %s: %v", name, err)
	}
	return b
}

func TestCreateBotFillsDefaults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b, err := s.CreateBot(ctx, desk.Bot{Name: " Sales "})
		if err != nil {
			t.Fatal(err)
		}
		if b.Name != "Sales" || b.AutoCloseAfter != desk.DefaultAutoClose || !reflect.DeepEqual(b.Notices, desk.DefaultNotices) ||
			string(b.Flow) != "null" || b.WebhookURL != "" || b.HasFlow() || !b.CreatedAt.Equal(storetest.Epoch) {
			t.Fatalf("bot = %+v", b)
		}
		wantIDs(t, "member_ids", b.MemberIDs)
		if raw, err := hex.DecodeString(b.WebhookSecret); err != nil || len(raw) != 32 {
			t.Fatalf("webhook secret = %q", b.WebhookSecret)
		}
		out, _ := json.Marshal(b)
		if !strings.Contains(string(out), `"flow":null`) || !strings.Contains(string(out), `"member_ids":[]`) {
			t.Fatalf("json = %s", out)
		}
		if got, err := s.GetBot(ctx, b.ID); err != nil || got.WebhookSecret != b.WebhookSecret || got.Name != b.Name {
			t.Fatalf("GetBot = %+v, %v", got, err)
		}
		_, err = s.GetBot(ctx, "missing")
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestCreateBotValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		for _, tc := range []struct {
			name, field string
			bot         desk.Bot
		}{
			{"no name", "name", desk.Bot{}},
			{"auto close under a minute", "auto_close_after", desk.Bot{Name: "b", AutoCloseAfter: 59}},
			{"auto close over 30 days", "auto_close_after", desk.Bot{Name: "b", AutoCloseAfter: 30*24*3600 + 1}},
			{"webhook not http", "webhook_url", desk.Bot{Name: "b", WebhookURL: "ftp://bots.example.com/hook"}},
			{"webhook relative", "webhook_url", desk.Bot{Name: "b", WebhookURL: "/hook"}},
			{"flow array", "flow", desk.Bot{Name: "b", Flow: json.RawMessage(`[1]`)}},
			{"flow string", "flow", desk.Bot{Name: "b", Flow: json.RawMessage(`"start"`)}},
			{"flow broken", "flow", desk.Bot{Name: "b", Flow: json.RawMessage(`{"a":`)}},
			{"notice too long", "notices.queued", desk.Bot{Name: "b", Notices: desk.Notices{Queued: strings.Repeat("x", 1001)}}},
			{"unknown member", "member_ids", desk.Bot{Name: "b", MemberIDs: []string{"nope"}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.CreateBot(ctx, tc.bot)
				wantInvalid(t, err, tc.field)
			})
		}
		if bots, _ := s.ListBots(ctx, nil); len(bots) != 0 {
			t.Fatalf("a rejected bot was stored: %+v", bots)
		}
	})
}

func TestBotNoticesFallBackToDefaults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b, err := s.CreateBot(ctx, desk.Bot{Name: "Sales", Notices: desk.Notices{Queued: "Hold on"}})
		if err != nil {
			t.Fatal(err)
		}
		want := desk.DefaultNotices
		want.Queued = "Hold on"
		if !reflect.DeepEqual(b.Notices, want) {
			t.Fatalf("notices = %+v", b.Notices)
		}
		// Renaming keeps the custom text and still follows the defaults for
		// the rest.
		name := "Sales 2"
		if b, err = s.UpdateBot(ctx, b.ID, store.BotPatch{Name: &name}); err != nil || !reflect.DeepEqual(b.Notices, want) {
			t.Fatalf("after rename: %+v, %v", b.Notices, err)
		}
	})
}

func TestUpdateBotPatchesOnlyGivenFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		flow := json.RawMessage(`{ "start": "hi", "nodes": {"hi": {"type": "end", "text": "Hi"}} }`)
		hook, wait := "https://bots.example.com/hook", desk.Seconds(3600)
		got, err := s.UpdateBot(ctx, b.ID, store.BotPatch{Flow: &flow, WebhookURL: &hook, AutoCloseAfter: &wait})
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Flow) != `{"start":"hi","nodes":{"hi":{"type":"end","text":"Hi"}}}` || got.WebhookURL != hook || got.AutoCloseAfter != 3600 ||
			got.Name != "Sales" || got.WebhookSecret != b.WebhookSecret || !got.HasFlow() {
			t.Fatalf("bot = %+v", got)
		}
		null := json.RawMessage(`null`)
		if got, err = s.UpdateBot(ctx, b.ID, store.BotPatch{Flow: &null}); err != nil || string(got.Flow) != "null" {
			t.Fatalf("flow after clearing = %s, %v", got.Flow, err)
		}
		bad := desk.Seconds(10)
		_, err = s.UpdateBot(ctx, b.ID, store.BotPatch{AutoCloseAfter: &bad})
		wantInvalid(t, err, "auto_close_after")
		_, err = s.UpdateBot(ctx, "missing", store.BotPatch{WebhookURL: &hook})
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestBotMembersMirrorUserBots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		ana := fxUser(t, s, "Ana", desk.RoleAgent)
		bea := fxUser(t, s, "Bea", desk.RoleAgent)
		b := fxBot(t, s, "Sales", ana.ID, bea.ID)
		wantIDs(t, "member_ids", b.MemberIDs, sortedIDs(ana.ID, bea.ID)...)
		if u, _ := s.GetUser(ctx, ana.ID); len(u.BotIDs) != 1 || u.BotIDs[0] != b.ID {
			t.Fatalf("ana.bot_ids = %v", u.BotIDs)
		}
		team := fxTeam(t, s, "Tier 2", b.ID, ana.ID, bea.ID)
		// Leaving the bot leaves its teams.
		got, err := s.UpdateBot(ctx, b.ID, store.BotPatch{MemberIDs: &[]string{bea.ID}})
		if err != nil {
			t.Fatal(err)
		}
		wantIDs(t, "member_ids", got.MemberIDs, bea.ID)
		u, _ := s.GetUser(ctx, ana.ID)
		wantIDs(t, "ana.bot_ids", u.BotIDs)
		wantIDs(t, "ana.team_ids", u.TeamIDs)
		if tm, _ := s.GetTeam(ctx, team.ID); len(tm.MemberIDs) != 1 || tm.MemberIDs[0] != bea.ID {
			t.Fatalf("team members = %v", tm.MemberIDs)
		}
		_, err = s.UpdateBot(ctx, b.ID, store.BotPatch{MemberIDs: &[]string{"nope"}})
		wantInvalid(t, err, "member_ids")
	})
}

func TestListBotsFiltersByID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		zeta, alpha := fxBot(t, s, "zeta"), fxBot(t, s, "Alpha")
		for _, tc := range []struct {
			name string
			ids  []string
			want []string
		}{
			{"all by name", nil, []string{alpha.ID, zeta.ID}},
			{"some", []string{zeta.ID, "missing"}, []string{zeta.ID}},
			{"none", []string{}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				bots, err := s.ListBots(ctx, tc.ids)
				if err != nil {
					t.Fatal(err)
				}
				got := []string{}
				for _, b := range bots {
					got = append(got, b.ID)
				}
				wantIDs(t, "bots", got, tc.want...)
			})
		}
	})
}
