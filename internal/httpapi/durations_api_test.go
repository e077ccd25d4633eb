package httpapi_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// Every duration the API takes accepts whole seconds or a Go duration
// string alike, answers whole seconds, and refuses the rest with 422 on
// the field (API.md, "Durations").

// durationsGood are the same two days written both ways.
var durationsGood = []any{172800, "48h", "2880m", "47h60m"}

// durationsBad are refused by the decoder itself, before any bound.
var durationsBad = []any{"-1h", -1, "1.5", 1.5, "abc", "9999999h", "", "NaN", 1e30, "172800", true}

func TestDurationsBotAutoClose(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		for i, v := range durationsGood {
			b := a.post("/api/v1/bots", map[string]any{"name": fmt.Sprintf("Bot %d", i), "auto_close_after": v}).want(200).obj()
			if num(b["auto_close_after"]) != 172800 {
				t.Errorf("POST %v: auto_close_after %v, want 172800", v, b["auto_close_after"])
			}
			if got := a.get("/api/v1/bots/" + str(b["id"])).want(200).obj(); num(got["auto_close_after"]) != 172800 {
				t.Errorf("stored %v: read back %v", v, got["auto_close_after"])
			}
			p := a.do("PATCH", "/api/v1/bots/"+str(b["id"]), map[string]any{"auto_close_after": "1h30m"}).want(200).obj()
			if num(p["auto_close_after"]) != 5400 {
				t.Errorf("PATCH 1h30m: %v, want 5400", p["auto_close_after"])
			}
		}
		for _, v := range durationsBad {
			d := a.post("/api/v1/bots", map[string]any{"name": "Bad", "auto_close_after": v}).fails(422, "validation_failed")
			if d["field"] != "auto_close_after" {
				t.Errorf("POST %v: details %v, want the field", v, d)
			}
			d = a.do("PATCH", "/api/v1/bots/"+w.botA.ID, map[string]any{"auto_close_after": v}).fails(422, "validation_failed")
			if d["field"] != "auto_close_after" {
				t.Errorf("PATCH %v: details %v, want the field", v, d)
			}
		}
		// A duration the decoder takes can still be out of the bot's bounds.
		a.post("/api/v1/bots", map[string]any{"name": "Short", "auto_close_after": "30s"}).fails(422, "validation_failed")
		if got := a.get("/api/v1/bots/" + w.botA.ID).want(200).obj(); num(got["auto_close_after"]) == 0 {
			t.Errorf("refused PATCHes changed the bot: %v", got)
		}
	})
}

func TestDurationsWaitingThreshold(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		s := w.login(w.sup)
		put := func(v any) *resp {
			return s.do("PUT", "/api/v1/me/monitor-preferences", map[string]any{
				"hidden_agent_ids": []string{}, "hidden_team_ids": []string{}, "waiting_threshold_seconds": v})
		}
		// 48 h is past the threshold's 24 h bound: the same day both ways.
		for _, v := range []any{86400, "24h", "1440m"} {
			if p := put(v).want(200).obj(); num(p["waiting_threshold_seconds"]) != 86400 {
				t.Errorf("%v: %v, want 86400", v, p["waiting_threshold_seconds"])
			}
			if p := s.get("/api/v1/me/monitor-preferences").want(200).obj(); num(p["waiting_threshold_seconds"]) != 86400 {
				t.Errorf("%v read back: %v", v, p["waiting_threshold_seconds"])
			}
		}
		for _, v := range append([]any{172800, "48h"}, durationsBad...) {
			if d := put(v).fails(422, "validation_failed"); d["field"] != "waiting_threshold_seconds" {
				t.Errorf("%v: details %v, want the field", v, d)
			}
		}
	})
}

func TestDurationsHealthThreshold(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		s := w.login(w.sup)
		for _, v := range []string{"172800", "48h", "2880m"} {
			if h := s.get("/api/v1/monitor/health?threshold=" + url.QueryEscape(v)).want(200).obj(); num(h["threshold_seconds"]) != 172800 {
				t.Errorf("?threshold=%s: threshold_seconds %v, want 172800", v, h["threshold_seconds"])
			}
		}
		for _, v := range []string{"-1h", "-1", "1.5", "abc", "9999999h", "99999999999999999999", "0.5s", "0"} {
			d := s.get("/api/v1/monitor/health?threshold="+url.QueryEscape(v)).fails(422, "validation_failed")
			if d["field"] != "threshold" {
				t.Errorf("?threshold=%s: details %v, want the field", v, d)
			}
		}
	})
}

// The message says what a duration may be, so a person can fix it.
func TestDurationsMessage(t *testing.T) {
	w := sqliteWorld(t)
	r := w.adm().post("/api/v1/bots", map[string]any{"name": "Bad", "auto_close_after": "1.5"})
	r.fails(422, "validation_failed")
	if body := string(r.Body); !strings.Contains(body, `whole seconds (172800) or a duration like \"48h\"`) {
		t.Errorf("message: %s", body)
	}
}
