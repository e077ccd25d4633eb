package httpapi_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// Renaming and deleting a transfer reason: the name is checked, a taken
// name is a conflict on its field, and a deleted reason is no longer
// offered nor accepted while the transfer made with it keeps its name.
func TestReasonRenameAndDelete(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		id := w.reason.ID
		r := a.do("PATCH", "/api/v1/reasons/"+id, map[string]any{"name": "  Invoices "}).want(200).obj()
		if r["name"] != "Invoices" {
			t.Fatalf("PATCH /reasons: %v", r)
		}
		a.do("PATCH", "/api/v1/reasons/"+id, map[string]any{"name": " "}).fails(422, "validation_failed")
		other := a.post("/api/v1/reasons", map[string]any{"name": "Complaint"}).want(200).obj()
		if d := a.do("PATCH", "/api/v1/reasons/"+str(other["id"]), map[string]any{"name": "invoices"}).fails(409, "conflict"); d["field"] != "name" {
			t.Errorf("a taken name: details %v, want field name", d)
		}
		// Bot B's reasons are another list: the same name is free there.
		a.do("PATCH", "/api/v1/reasons/"+w.reasonB.ID, map[string]any{"name": "Invoices"}).want(200)
		a.do("PATCH", "/api/v1/reasons/missing", map[string]any{"name": "X"}).fails(404, "not_found")

		w.online(w.agent2)
		conv := w.humanConv("rr1", w.agent)
		w.login(w.agent).post("/api/v1/conversations/"+conv+"/transfer", map[string]any{"agent_id": w.agent2.ID, "reason_id": id}).want(200)
		w.drain() // the transfer's notice is sent: the lock ends
		a.do("DELETE", "/api/v1/reasons/"+id, nil).want(204)
		a.do("DELETE", "/api/v1/reasons/"+id, nil).fails(404, "not_found")
		if has(ids(a.get("/api/v1/reasons").want(200).items()), id) {
			t.Error("GET /reasons lists a deleted reason")
		}
		w.login(w.agent2).post("/api/v1/conversations/"+conv+"/transfer", map[string]any{"agent_id": w.agent.ID, "reason_id": id}).fails(422, "validation_failed")
		var named string
		for _, ev := range events(a.timeline(conv)) {
			if r, ok := ev["reason"].(map[string]any); ok {
				named = str(r["name"])
			}
		}
		if named != "Invoices" {
			t.Errorf("the past transfer's reason is %q, want Invoices", named)
		}
		// Only admins change the catalog.
		for _, u := range []desk.User{w.sup, w.agent} {
			c := w.login(u)
			c.do("PATCH", "/api/v1/reasons/"+str(other["id"]), map[string]any{"name": "Mine"}).fails(403, "forbidden")
			c.do("DELETE", "/api/v1/reasons/"+str(other["id"]), nil).fails(403, "forbidden")
			c.do("PATCH", "/api/v1/tags/"+w.tag.ID, map[string]any{"name": "Mine"}).fails(403, "forbidden")
			c.do("DELETE", "/api/v1/tags/"+w.tag.ID, nil).fails(403, "forbidden")
		}
		w.token(w.botA.ID).do("DELETE", "/api/v1/tags/"+w.tag.ID, nil).fails(403, "forbidden")
	})
}

// A tag is renamed and recoloured in place; deleting it takes it off the
// conversations that had it.
func TestTagRenameAndDelete(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		tg := a.do("PATCH", "/api/v1/tags/"+w.tag.ID, map[string]any{"name": "Gold", "color": "#1E88E5"}).want(200).obj()
		if tg["name"] != "Gold" || tg["color"] != "#1e88e5" {
			t.Fatalf("PATCH /tags: %v", tg)
		}
		if tg = a.do("PATCH", "/api/v1/tags/"+w.tag.ID, map[string]any{"color": ""}).want(200).obj(); tg["name"] != "Gold" || str(tg["color"]) != "" {
			t.Fatalf("PATCH /tags color only: %v", tg)
		}
		if d := a.do("PATCH", "/api/v1/tags/"+w.tag.ID, map[string]any{"color": "red"}).fails(422, "validation_failed"); d["field"] != "color" {
			t.Errorf("a bad colour: %v", d)
		}
		other := a.post("/api/v1/tags", map[string]any{"name": "Late"}).want(200).obj()
		if d := a.do("PATCH", "/api/v1/tags/"+str(other["id"]), map[string]any{"name": "Gold"}).fails(409, "conflict"); d["field"] != "name" {
			t.Errorf("a taken name: details %v, want field name", d)
		}
		conv := w.humanConv("tg1", w.agent)
		ag := w.login(w.agent)
		ag.do("PUT", "/api/v1/conversations/"+conv+"/tags/"+w.tag.ID, nil).want(200)
		a.do("DELETE", "/api/v1/tags/"+w.tag.ID, nil).want(204)
		a.do("DELETE", "/api/v1/tags/"+w.tag.ID, nil).fails(404, "not_found")
		if got := ag.conv(conv)["tags"]; len(got.([]any)) != 0 {
			t.Errorf("the conversation keeps a deleted tag: %v", got)
		}
		if got := ag.listIDs("?tag=" + w.tag.ID); len(got) != 0 {
			t.Errorf("the list still finds conversations by a deleted tag: %v", got)
		}
	})
}

// A token's last use is written when it is used, then not again within
// the minute, then again after it.
func TestTokenLastUsed(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		tc := w.token(w.botA.ID)
		lastUsed := func() any {
			for _, it := range a.get("/api/v1/tokens").want(200).items() {
				if it["bot_id"] == w.botA.ID {
					return it["last_used_at"]
				}
			}
			t.Fatal("GET /tokens misses the token")
			return nil
		}
		if got := lastUsed(); got != nil {
			t.Fatalf("a new token: last_used_at %v, want null", got)
		}
		tc.get("/api/v1/tags").want(200)
		first := str(lastUsed())
		if first == "" {
			t.Fatal("a used token: no last_used_at")
		}
		w.db.Clock.Advance(30 * time.Second)
		tc.get("/api/v1/tags").want(200)
		if got := str(lastUsed()); got != first {
			t.Errorf("within the minute: last_used_at %s, want still %s", got, first)
		}
		w.db.Clock.Advance(store.TokenTouchEvery)
		tc.get("/api/v1/tags").want(200)
		if got := str(lastUsed()); got == first {
			t.Errorf("after the minute: last_used_at still %s", got)
		}
	})
}
