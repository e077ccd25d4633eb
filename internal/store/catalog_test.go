package store_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

func TestCreateReasonValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		for _, tc := range []struct {
			name, field string
			r           desk.Reason
		}{
			{"no name", "name", desk.Reason{Name: "  "}},
			{"long name", "name", desk.Reason{Name: strings.Repeat("r", 101)}},
			{"unknown bot", "bot_id", desk.Reason{Name: "Billing", BotID: "nope"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.CreateReason(ctx, tc.r)
				wantInvalid(t, err, tc.field)
			})
		}
		_, err := s.GetReason(ctx, "missing")
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestListReasonsIncludesGlobalOnes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b1, b2 := fxBot(t, s, "Sales"), fxBot(t, s, "Support")
		mk := func(name, bot string) desk.Reason {
			r, err := s.CreateReason(ctx, desk.Reason{Name: name, BotID: bot})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		global, sales, support := mk("Other", ""), mk("Billing", b1.ID), mk("Complaint", b2.ID)
		if got, err := s.GetReason(ctx, sales.ID); err != nil || got != sales {
			t.Fatalf("GetReason = %+v, %v", got, err)
		}
		for _, tc := range []struct {
			name string
			bots []string
			want []string
		}{
			{"all by name", nil, []string{sales.ID, support.ID, global.ID}},
			{"one bot", []string{b1.ID}, []string{sales.ID, global.ID}},
			{"no bots: global only", []string{}, []string{global.ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				list, err := s.ListReasons(ctx, tc.bots)
				if err != nil {
					t.Fatal(err)
				}
				got := []string{}
				for _, r := range list {
					got = append(got, r.ID)
				}
				wantIDs(t, "reasons", got, tc.want...)
			})
		}
	})
}

func TestCreateTagRejectsDuplicateName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		vip, err := s.CreateTag(ctx, desk.Tag{Name: " VIP ", Color: " #1E88E5 "})
		if err != nil || vip.Name != "VIP" || vip.Color != "#1e88e5" {
			t.Fatalf("CreateTag = %+v, %v", vip, err)
		}
		_, err = s.CreateTag(ctx, desk.Tag{Name: "VIP"})
		wantCode(t, err, desk.CodeConflict)
		lead, err := s.CreateTag(ctx, desk.Tag{Name: "lead"})
		if err != nil {
			t.Fatal(err)
		}
		list, err := s.ListTags(ctx)
		if err != nil || !reflect.DeepEqual(list, []desk.Tag{lead, vip}) {
			t.Fatalf("ListTags = %+v, %v", list, err)
		}
		if got, err := s.GetTag(ctx, vip.ID); err != nil || got != vip {
			t.Fatalf("GetTag = %+v, %v", got, err)
		}
		_, err = s.GetTag(ctx, "missing")
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestCreateTagValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		for _, tc := range []struct {
			name, field string
			tag         desk.Tag
		}{
			{"no name", "name", desk.Tag{}},
			{"long name", "name", desk.Tag{Name: strings.Repeat("t", 65)}},
			{"colour not hex", "color", desk.Tag{Name: "t", Color: "red;background:url(x)"}},
			{"colour short", "color", desk.Tag{Name: "t", Color: "#fff"}},
			{"colour with alpha", "color", desk.Tag{Name: "t", Color: "#11223344"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.CreateTag(ctx, tc.tag)
				wantInvalid(t, err, tc.field)
			})
		}
		if list, err := s.ListTags(ctx); err != nil || list == nil || len(list) != 0 {
			t.Fatalf("ListTags = %#v, %v", list, err)
		}
	})
}

func TestCreateTemplateDefaultsToApprovedForAllRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		ch := fxChannel(t, s, fxBot(t, s, "Sales").ID, desk.ChannelWhatsApp, "WA")
		tpl, err := s.CreateTemplate(ctx, desk.Template{ChannelID: ch.ID, Name: "hello", Language: "pt_BR", Body: "Olá {{1}}"})
		if err != nil {
			t.Fatal(err)
		}
		want := []desk.Role{desk.RoleAgent, desk.RoleAuditor, desk.RoleSupervisor, desk.RoleAdmin}
		if tpl.Status != "APPROVED" || !reflect.DeepEqual(tpl.Roles, want) {
			t.Fatalf("template = %+v", tpl)
		}
		if got, err := s.GetTemplate(ctx, tpl.ID); err != nil || !reflect.DeepEqual(got, tpl) {
			t.Fatalf("GetTemplate = %+v, %v", got, err)
		}
		_, err = s.GetTemplate(ctx, "missing")
		wantCode(t, err, desk.CodeNotFound)
		_, err = s.CreateTemplate(ctx, desk.Template{ChannelID: ch.ID, Name: "hello", Language: "pt_BR", Body: "again"})
		wantCode(t, err, desk.CodeConflict)
	})
}

func TestCreateTemplateValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		ch := fxChannel(t, s, fxBot(t, s, "Sales").ID, desk.ChannelWhatsApp, "WA")
		ok := desk.Template{ChannelID: ch.ID, Name: "hello", Language: "en", Body: "Hi"}
		for _, tc := range []struct {
			name, field string
			edit        func(*desk.Template)
		}{
			{"unknown channel", "channel_id", func(t *desk.Template) { t.ChannelID = "nope" }},
			{"no name", "name", func(t *desk.Template) { t.Name = "" }},
			{"no language", "language", func(t *desk.Template) { t.Language = " " }},
			{"no body", "body", func(t *desk.Template) { t.Body = "" }},
			{"long body", "body", func(t *desk.Template) { t.Body = strings.Repeat("b", 4097) }},
			{"unknown role", "roles", func(t *desk.Template) { t.Roles = []desk.Role{desk.RoleAgent, "boss"} }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tpl := ok
				tc.edit(&tpl)
				_, err := s.CreateTemplate(ctx, tpl)
				wantInvalid(t, err, tc.field)
			})
		}
	})
}

func TestListTemplatesFiltersByRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		ch, other := fxChannel(t, s, b.ID, desk.ChannelWhatsApp, "WA"), fxChannel(t, s, b.ID, desk.ChannelWhatsApp, "WA 2")
		mk := func(ch, name, status string, roles ...desk.Role) desk.Template {
			tpl, err := s.CreateTemplate(ctx, desk.Template{ChannelID: ch, Name: name, Language: "en", Body: "x",
				Status: status, Roles: roles})
			if err != nil {
				t.Fatal(err)
			}
			return tpl
		}
		agents := mk(ch.ID, "a_agents", "", desk.RoleAgent)
		auditors := mk(ch.ID, "b_auditors", "approved", desk.RoleAuditor)
		mk(ch.ID, "c_pending", "PENDING", desk.RoleAgent)
		mk(other.ID, "d_elsewhere", "", desk.RoleAgent)
		for _, tc := range []struct {
			role desk.Role
			want []string
		}{
			{"", []string{agents.ID, auditors.ID}},
			{desk.RoleAdmin, []string{agents.ID, auditors.ID}},
			{desk.RoleAgent, []string{agents.ID}},
			{desk.RoleAuditor, []string{auditors.ID}},
			{desk.RoleSupervisor, nil},
		} {
			t.Run("role "+string(tc.role), func(t *testing.T) {
				list, err := s.ListTemplates(ctx, ch.ID, tc.role)
				if err != nil {
					t.Fatal(err)
				}
				got := []string{}
				for _, tpl := range list {
					got = append(got, tpl.ID)
				}
				wantIDs(t, "templates", got, tc.want...)
				if list == nil {
					t.Fatal("nil list")
				}
			})
		}
	})
}

func TestUpsertTemplateKeepsRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		ch := fxChannel(t, s, fxBot(t, s, "Sales").ID, desk.ChannelWhatsApp, "WA")
		orig, err := s.CreateTemplate(ctx, desk.Template{ChannelID: ch.ID, Name: "hello", Language: "en", Body: "Hi",
			Roles: []desk.Role{desk.RoleAuditor}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.UpsertTemplate(ctx, desk.Template{ChannelID: ch.ID, Name: "hello", Language: "en", Body: "Hello {{1}}",
			Category: "MARKETING", Status: "PAUSED"})
		if err != nil {
			t.Fatal(err)
		}
		want := orig
		want.Body, want.Category, want.Status = "Hello {{1}}", "MARKETING", "PAUSED"
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("upserted = %+v, want %+v", got, want)
		}
		fresh, err := s.UpsertTemplate(ctx, desk.Template{ChannelID: ch.ID, Name: "hello", Language: "es", Body: "Hola"})
		if err != nil || fresh.ID == orig.ID || fresh.Status != "APPROVED" || len(fresh.Roles) != 4 {
			t.Fatalf("inserted = %+v, %v", fresh, err)
		}
		_, err = s.UpsertTemplate(ctx, desk.Template{ChannelID: "nope", Name: "hello", Language: "en", Body: "Hi"})
		wantInvalid(t, err, "channel_id")
	})
}
