package httpapi_test

import "testing"

// A bot's call setting: off by default, validated with the field to point
// at, stored on PATCH and POST, changed by admins only.
func TestCallSettingOnBots(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		path := "/api/v1/bots/" + w.botA.ID
		calls := func(b map[string]any) map[string]any { return b["calls"].(map[string]any) }
		if c := calls(a.get(path).want(200).obj()); c["mode"] != "off" || c["customer_may_start"] != false {
			t.Fatalf("default calls %v, want off", c)
		}
		d := a.do("PATCH", path, map[string]any{"calls": map[string]any{"mode": "hologram"}}).fails(422, "validation_failed")
		if d["field"] != "calls.mode" {
			t.Errorf("details %v, want field calls.mode", d)
		}
		c := calls(a.do("PATCH", path, map[string]any{"calls": map[string]any{"mode": "video", "customer_may_start": true}}).want(200).obj())
		if c["mode"] != "video" || c["customer_may_start"] != true {
			t.Errorf("patched calls %v", c)
		}
		nb := a.do("POST", "/api/v1/bots", map[string]any{"name": "Caller", "calls": map[string]any{"mode": "audio"}}).want(200).obj()
		if calls(nb)["mode"] != "audio" {
			t.Errorf("created bot calls %v", nb["calls"])
		}
		w.login(w.sup).do("PATCH", path, map[string]any{"calls": map[string]any{"mode": "off"}}).fails(403, "forbidden")
	})
}
