package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"
)

// schedule is a business_hours body open on Mondays from..to in UTC (the
// test clock starts Monday 2026-11-02 09:00 UTC).
func schedule(day, from, to string) map[string]any {
	return map[string]any{"enabled": true, "time_zone": "UTC",
		"weekly": map[string]any{day: []map[string]string{{"from": from, "to": to}}}}
}

// A schedule that cannot work is refused with the field to point at and a
// reason a client can branch on; nothing is stored.
func TestBusinessHoursRefusedWithFieldAndReason(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		path := "/api/v1/bots/" + w.botA.ID
		for _, c := range []struct {
			hours         map[string]any
			field, reason string
		}{
			{schedule("tue", "18:00", "09:00"), "business_hours.weekly.tue.0", "from_not_before_to"},
			{schedule("mon", "9:00", "18:00"), "business_hours.weekly.mon.0", "bad_time"},
			{map[string]any{"enabled": true, "time_zone": "Mars/Olympus", "weekly": schedule("mon", "09:00", "10:00")["weekly"]},
				"business_hours.time_zone", "bad_time_zone"},
			{map[string]any{"enabled": true, "time_zone": "UTC"}, "business_hours.weekly", "never_opens"},
			{map[string]any{"enabled": true, "time_zone": "UTC", "weekly": map[string]any{"mon": []map[string]string{
				{"from": "09:00", "to": "12:00"}, {"from": "11:00", "to": "13:00"}}}}, "business_hours.weekly.mon.1", "overlap"},
			{map[string]any{"enabled": true, "time_zone": "UTC", "weekly": schedule("mon", "09:00", "10:00")["weekly"],
				"holidays": []string{"25/12/2026"}}, "business_hours.holidays.0", "bad_date"},
		} {
			d := a.do("PATCH", path, map[string]any{"business_hours": c.hours}).fails(422, "validation_failed")
			if d["field"] != c.field || d["reason"] != c.reason {
				t.Errorf("%v: details %v, want %s %s", c.hours, d, c.field, c.reason)
			}
		}
		bot := a.get(path).want(200).obj()
		if bot["business_hours"].(map[string]any)["enabled"] != false {
			t.Errorf("a refused schedule was stored: %v", bot["business_hours"])
		}
		// Only admins change a bot.
		w.login(w.sup).do("PATCH", path, map[string]any{"business_hours": schedule("mon", "09:00", "10:00")}).fails(403, "forbidden")
	})
}

// Queued out of hours: the flag is on the conversation, in the report (JSON
// and the CSV's last column), and the queues report can leave the closed
// time out of the wait.
func TestOutOfHoursConversationInQueueAndReports(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		a.do("PATCH", "/api/v1/bots/"+w.botA.ID, map[string]any{"business_hours": schedule("mon", "09:10", "18:00")}).want(200)
		late := w.waitingConv("late") // 09:00: closed
		w.db.Clock.Advance(20 * time.Minute)
		w.online(w.agent)
		w.login(w.agent).post("/api/v1/conversations/"+late+"/assign", nil).want(200)
		onTime := w.waitingConv("on-time") // 09:20: open
		w.db.Clock.Advance(time.Second)

		s := w.login(w.sup)
		flags := map[string]any{}
		for _, it := range s.get("/api/v1/reports/conversations").want(200).items() {
			flags[it["id"].(string)] = it["out_of_hours"]
		}
		if flags[late] != true || flags[onTime] != false {
			t.Fatalf("report flags %v", flags)
		}
		if got := s.get("/api/v1/conversations/" + late).want(200).obj()["out_of_hours"]; got != true {
			t.Errorf("conversation out_of_hours = %v", got)
		}
		recs, err := csv.NewReader(bytes.NewReader(s.get("/api/v1/reports/conversations?format=csv").want(200).Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		last := len(recs[0]) - 1
		if recs[0][last] != "out_of_hours" {
			t.Fatalf("CSV header %v", recs[0])
		}
		for _, r := range recs[1:] {
			if want := map[string]string{late: "true", onTime: "false"}[r[0]]; r[last] != want {
				t.Errorf("CSV %s out_of_hours = %q, want %q", r[0], r[last], want)
			}
		}

		wait := func(q string) any {
			body := s.get("/api/v1/reports/queues" + q).want(200).obj()
			for _, it := range body["items"].([]any) {
				if m := it.(map[string]any); num(m["assigned"]) == 1 {
					return m["median_wait_seconds"]
				}
			}
			return nil
		}
		if got := wait(""); got != 1200.0 {
			t.Errorf("wall-clock wait %v, want 1200", got)
		}
		if got := wait("?business_time=true"); got != 600.0 {
			t.Errorf("business wait %v, want 600 (opened at 09:10)", got)
		}
		s.get("/api/v1/reports/queues?business_time=yes").fails(422, "validation_failed")
		s.get("/api/v1/reports/queues?business_time=true&bot="+w.botB.ID).fails(404, "not_found")
	})
}
