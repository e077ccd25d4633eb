package httpapi_test

import (
	"context"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store/storetest"
)

// happyTemplates walks the templates settings: every template of a channel
// whatever its status, with the last sync time, and a template's roles.
func happyTemplates(t *testing.T, w *world) {
	a := w.adm()
	tp := a.post("/api/v1/templates", map[string]any{"channel_id": w.waA.ID, "name": "paused_one", "language": "en",
		"body": "Hi", "category": "MARKETING", "status": "PAUSED"}).want(200).obj()
	list := a.get("/api/v1/channels/" + w.waA.ID + "/templates").want(200).obj()
	if list["synced_at"] != nil || !has(ids(anyItems(list["items"])), str(tp["id"])) {
		t.Errorf("GET /channels/{id}/templates: %v", list)
	}
	got := a.do("PATCH", "/api/v1/templates/"+str(tp["id"]), map[string]any{"roles": []string{"supervisor"}}).want(200).obj()
	checkFields(t, "PATCH /templates/{id}", got, map[string]string{"id": "string", "channel_id": "string", "name": "string",
		"language": "string", "category": "string", "body": "string", "roles": "array", "status": "string"})
}

func anyItems(v any) []map[string]any {
	var out []map[string]any
	for _, x := range v.([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

// An admin lists every template of a channel (not only approved ones) and
// chooses the roles offered each; the desk's picker follows at once.
func TestTemplateRolesChangeWhatTheDeskOffers(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		mk := func(name, status string) string {
			return str(a.post("/api/v1/templates", map[string]any{"channel_id": w.waA.ID, "name": name, "language": "en",
				"body": "Hi {{1}}", "category": "UTILITY", "status": status}).want(200).obj()["id"])
		}
		open, pending := mk("open_one", "APPROVED"), mk("pending_one", "PENDING")
		all := anyItems(a.get("/api/v1/channels/" + w.waA.ID + "/templates").want(200).obj()["items"])
		if len(all) != 2 || all[0]["id"] != open || all[1]["id"] != pending || all[1]["status"] != "PENDING" || all[0]["category"] != "UTILITY" {
			t.Fatalf("admin listing: %v", all)
		}
		agent := w.login(w.agent)
		offered := func() []string { return ids(agent.get("/api/v1/templates?channel_id=" + w.waA.ID).want(200).items()) }
		if got := offered(); len(got) != 1 || got[0] != open {
			t.Fatalf("the agent is offered %v, want the approved one", got)
		}
		a.do("PATCH", "/api/v1/templates/"+open, map[string]any{"roles": []string{"supervisor", "auditor", "supervisor"}}).want(200)
		if got := offered(); len(got) != 0 {
			t.Errorf("the agent is still offered %v after agents were taken off", got)
		}
		tpl, err := w.db.Store.GetTemplate(context.Background(), open)
		if err != nil || len(tpl.Roles) != 2 || tpl.Roles[0] != desk.RoleSupervisor || tpl.Roles[1] != desk.RoleAuditor {
			t.Errorf("stored roles %v (%v), want supervisor, auditor once each", tpl.Roles, err)
		}
		// Bad input, each with its field.
		for _, body := range []any{map[string]any{"roles": []string{}}, map[string]any{"roles": []string{"boss"}}, map[string]any{}} {
			if e := a.do("PATCH", "/api/v1/templates/"+open, body).fails(422, "validation_failed"); e["field"] != "roles" {
				t.Errorf("PATCH %v: %v", body, e)
			}
		}
		a.do("PATCH", "/api/v1/templates/nope", map[string]any{"roles": []string{"agent"}}).fails(404, "not_found")
	})
}

// Supervisors read their bots' templates; nobody but admins changes them;
// nobody sees another bot's channel.
func TestTemplateSettingsScope(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		id := str(w.adm().post("/api/v1/templates", map[string]any{"channel_id": w.waA.ID, "name": "scoped", "language": "en",
			"body": "Hi"}).want(200).obj()["id"])
		sup := w.login(w.sup)
		sup.get("/api/v1/channels/" + w.waA.ID + "/templates").want(200)
		sup.do("PATCH", "/api/v1/templates/"+id, map[string]any{"roles": []string{"agent"}}).fails(403, "forbidden")
		w.login(w.agent).get("/api/v1/channels/"+w.waA.ID+"/templates").fails(403, "forbidden")
		// A supervisor of bot B only.
		sd := storetest.NewSeed(t, w.db.Store)
		supB := w.login(sd.User(desk.User{Name: "Bo Supervisor", Email: "supb@test.relevo", Role: desk.RoleSupervisor,
			BotIDs: []string{w.botB.ID}}, sd.Hash(password)))
		supB.get("/api/v1/channels/"+w.waA.ID+"/templates").fails(404, "not_found")
		supB.get("/api/v1/channels/" + w.apiB.ID + "/templates").want(200)
		w.adm().get("/api/v1/channels/nope/templates").fails(404, "not_found")
	})
}
