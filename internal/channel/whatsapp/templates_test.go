package whatsapp_test

import (
	"context"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

func TestSyncTemplatesFollowsPagingAndKeepsRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		// Roles are Relevo's: a template known before keeps them.
		if _, err := e.s.CreateTemplate(ctx, desk.Template{ChannelID: e.ch.ID, Name: "hello_world", Language: "en_US",
			Body: "old text", Roles: []desk.Role{desk.RoleSupervisor}}); err != nil {
			t.Fatal(err)
		}
		// Approved here, no longer at Meta: withdrawn.
		if _, err := e.s.CreateTemplate(ctx, desk.Template{ChannelID: e.ch.ID, Name: "retired", Language: "en_US", Body: "Bye"}); err != nil {
			t.Fatal(err)
		}
		if _, synced, err := e.s.ChannelTemplates(ctx, e.ch.ID); err != nil || synced != nil {
			t.Fatalf("synced at %v before any sync (%v)", synced, err)
		}
		got, err := e.wa.SyncTemplates(ctx, e.ch.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, synced, err := e.s.ChannelTemplates(ctx, e.ch.ID); err != nil || synced == nil || !synced.Equal(e.s.Now().Truncate(time.Millisecond)) {
			t.Fatalf("synced at %v after the sync, want now (%v)", synced, err)
		}
		if len(got) != 5 {
			t.Fatalf("synced %d templates, want all 5 of both pages", len(got))
		}
		pages := e.graph.requests(waba + "/message_templates")
		if len(pages) != 2 || !strings.Contains(pages[1].Query, "after=MgZDZD") || !strings.Contains(pages[0].Query, "limit=100") {
			t.Fatalf("pages fetched: %+v", pages)
		}
		offered, err := e.s.ListTemplates(ctx, e.ch.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tpl := range offered {
			names = append(names, tpl.Name+"/"+tpl.Language)
			if tpl.Name == "hello_world" {
				if !reflect.DeepEqual(tpl.Roles, []desk.Role{desk.RoleSupervisor}) || !strings.HasPrefix(tpl.Body, "Welcome and congratulations") {
					t.Errorf("hello_world: roles %v body %q", tpl.Roles, tpl.Body)
				}
			}
			if tpl.Name == "order_update" && tpl.Language == "pt_BR" && tpl.Body != "Olá {{1}}, seu pedido {{2}} foi enviado." {
				t.Errorf("body from components[BODY]: %q", tpl.Body)
			}
		}
		want := []string{"hello_world/en_US", "order_update/en_US", "order_update/pt_BR"}
		if !reflect.DeepEqual(names, want) {
			t.Fatalf("offered %v, want only the approved %v", names, want)
		}
	})
}

func TestSyncTemplatesNeedsWABAAndAnAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		ch := storetest.NewSeed(t, e.s).Channel(desk.Channel{BotID: e.bot.ID, Type: desk.ChannelWhatsApp, Name: "No WABA",
			Config: []byte(`{"phone_number_id": "123", "access_token": "x"}`)})
		if _, err := e.wa.SyncTemplates(ctx, ch.ID); !desk.IsCode(err, desk.CodeValidationFailed) || !strings.Contains(err.Error(), "waba_id") {
			t.Fatalf("sync without waba_id: %v", err)
		}
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, httptest.NewRequest("POST", "/api/v1/channels/"+e.ch.ID+"/templates/sync", nil))
		if w.Code != 401 {
			t.Fatalf("anonymous sync: %d, want 401", w.Code)
		}
	})
}
