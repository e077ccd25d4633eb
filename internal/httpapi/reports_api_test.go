package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The queues and bots reports: supervisors only, of their own bots only,
// every bad parameter refused with a stable code.
func TestQueueAndBotReportsAreScopedAndValidated(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.humanConv("a1", w.agent)
		w.waitingOn(w.apiB, "b1")
		w.waitingOn(w.apiB, "b2")
		w.db.Clock.Advance(time.Second) // "to" (default: now) is exclusive
		teamB := w.adm().post("/api/v1/teams", map[string]any{"name": "B team", "bot_id": w.botB.ID}).want(201, 200).obj()
		queued := func(c *client, q string) (n int64) {
			for _, it := range c.get("/api/v1/reports/queues" + q).want(200).obj()["items"].([]any) {
				n += num(it.(map[string]any)["queued"])
			}
			return n
		}
		s := w.login(w.sup)
		if got := queued(s, ""); got != 1 {
			t.Errorf("supervisor of bot A sees %d waits, want its bot's 1", got)
		}
		if got := queued(w.adm(), ""); got != 3 {
			t.Errorf("admin sees %d waits, want 3", got)
		}
		bots := s.get("/api/v1/reports/bots").want(200).obj()["items"].([]any)
		if len(bots) != 1 || bots[0].(map[string]any)["bot_id"] != w.botA.ID || num(bots[0].(map[string]any)["handed_over"]) != 1 {
			t.Errorf("supervisor of bot A: bots report %v", bots)
		}
		s.get("/api/v1/reports/bots?bot="+w.botB.ID).fails(404, "not_found")
		s.get("/api/v1/reports/queues?bot="+w.botB.ID).fails(404, "not_found")
		s.get("/api/v1/reports/queues?team="+teamB["id"].(string)).fails(404, "not_found")
		s.get("/api/v1/reports/queues?team=nope").fails(404, "not_found")
		s.get("/api/v1/reports/queues?bot="+w.botA.ID+"&team="+teamB["id"].(string)).fails(404, "not_found")
		s.get("/api/v1/reports/queues?team=" + w.teamA.ID).want(200)
		for _, tz := range []string{"Mars/Olympus", "Local", "../etc/passwd"} {
			s.get("/api/v1/reports/queues?tz="+url.QueryEscape(tz)).fails(422, "validation_failed")
		}
		s.get("/api/v1/reports/bots?from=2026-12-01&to=2026-11-01").fails(422, "validation_failed")
		s.get("/api/v1/reports/queues?from=yesterday").fails(422, "validation_failed")
		// Hours in the caller's zone carry its offset.
		sp := s.get("/api/v1/reports/queues?tz=America/Sao_Paulo").want(200).obj()
		items := sp["items"].([]any)
		if sp["tz"] != "America/Sao_Paulo" || len(items) != 1 || !strings.HasSuffix(items[0].(map[string]any)["hour"].(string), "-03:00") {
			t.Errorf("queues in Sao Paulo: %v", sp)
		}
		a := w.login(w.agent)
		a.get("/api/v1/reports/queues").fails(403, "forbidden")
		a.get("/api/v1/reports/bots").fails(403, "forbidden")
	})
}

// The CSV export is the JSON list, row for row, in the same order.
func TestConversationsCSVMatchesJSONRowForRow(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		for i := 0; i < 5; i++ {
			w.humanConv(fmt.Sprintf("h%d", i), w.agent)
			w.waitingConv(fmt.Sprintf("w%d", i))
			w.botConv(fmt.Sprintf("b%d", i))
		}
		closed := w.humanConv("=formula", w.agent)
		w.login(w.agent).post("/api/v1/conversations/"+closed+"/resolve", nil).want(200)
		s := w.login(w.sup)
		var rows [][]string
		for cursor := ""; ; {
			page := s.get("/api/v1/reports/conversations?limit=4&cursor=" + url.QueryEscape(cursor)).want(200).obj()
			for _, it := range page["items"].([]any) {
				c := it.(map[string]any)
				contact := c["contact"].(map[string]any)
				rows = append(rows, []string{c["id"].(string), strOf(c["protocol"]), c["bot_id"].(string), c["channel_type"].(string),
					strOf(contact["name"]), c["phase"].(string), strOf(c["assignee_id"]), strOf(c["team_id"]),
					secs(c["created_at"]), secs(c["closed_at"]), strOf(c["closed_reason"])})
			}
			next, _ := page["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		body := s.get("/api/v1/reports/conversations?format=csv").want(200).Body
		recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(rows)+1 || len(rows) != 16 {
			t.Fatalf("CSV has %d rows, JSON %d, want 16", len(recs)-1, len(rows))
		}
		for i, r := range recs[1:] {
			name := strings.TrimPrefix(r[4], "'") // spreadsheet formulas are defused
			got := []string{r[0], r[1], r[2], r[3], name, r[6], r[7], r[8], secs(r[10]), secs(r[13]), r[14]}
			if strings.Join(got, "|") != strings.Join(rows[i], "|") {
				t.Errorf("row %d: CSV %v, JSON %v", i, got, rows[i])
			}
		}
	})
}

func strOf(v any) string {
	s, _ := v.(string)
	return s
}

// secs is a timestamp at the CSV's precision, "" for none.
func secs(v any) string {
	s, _ := v.(string)
	if s == "" {
		return ""
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return "bad time " + s
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}
