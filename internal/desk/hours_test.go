package desk

import (
	"testing"
	"time"
)

func nineToSix() BusinessHours {
	day := []Interval{{From: "09:00", To: "12:00"}, {From: "13:00", To: "18:00"}}
	return BusinessHours{Enabled: true, TimeZone: "America/Sao_Paulo",
		Weekly: Week{Mon: day, Tue: day, Wed: day, Thu: day, Fri: day}, Holidays: []string{"2026-12-25"}}
}

func at(t *testing.T, zone, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCheckBusinessHoursRefusals(t *testing.T) {
	cases := []struct {
		name, field, reason string
		edit                func(*BusinessHours)
	}{
		{"bad zone", "business_hours.time_zone", HoursBadZone, func(h *BusinessHours) { h.TimeZone = "Mars/Olympus" }},
		{"server zone", "business_hours.time_zone", HoursBadZone, func(h *BusinessHours) { h.TimeZone = "Local" }},
		{"no zone", "business_hours.time_zone", HoursBadZone, func(h *BusinessHours) { h.TimeZone = "" }},
		{"from after to", "business_hours.weekly.tue.1", HoursFromNotTo, func(h *BusinessHours) {
			h.Weekly.Tue = []Interval{{"09:00", "12:00"}, {"18:00", "13:00"}}
		}},
		{"from equals to", "business_hours.weekly.wed.0", HoursFromNotTo, func(h *BusinessHours) { h.Weekly.Wed = []Interval{{"09:00", "09:00"}} }},
		{"crossing midnight", "business_hours.weekly.fri.0", HoursFromNotTo, func(h *BusinessHours) { h.Weekly.Fri = []Interval{{"22:00", "02:00"}} }},
		{"bad time", "business_hours.weekly.mon.0", HoursBadTime, func(h *BusinessHours) { h.Weekly.Mon = []Interval{{"9am", "18:00"}} }},
		{"24:00 as a start", "business_hours.weekly.mon.0", HoursBadTime, func(h *BusinessHours) { h.Weekly.Mon = []Interval{{"24:00", "24:00"}} }},
		{"minute 60", "business_hours.weekly.mon.0", HoursBadTime, func(h *BusinessHours) { h.Weekly.Mon = []Interval{{"09:60", "18:00"}} }},
		{"overlap", "business_hours.weekly.thu.0", HoursOverlap, func(h *BusinessHours) {
			h.Weekly.Thu = []Interval{{"11:00", "14:00"}, {"09:00", "12:00"}}
		}},
		{"never opens", "business_hours.weekly", HoursNeverOpens, func(h *BusinessHours) { h.Weekly = Week{} }},
		{"bad date", "business_hours.holidays.1", HoursBadDate, func(h *BusinessHours) { h.Holidays = []string{"2026-01-01", "2026-02-30"} }},
		{"date with time", "business_hours.holidays.0", HoursBadDate, func(h *BusinessHours) { h.Holidays = []string{"2026-01-01T00:00"} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := nineToSix()
			c.edit(&h)
			err := CheckBusinessHours(&h)
			de, ok := err.(*Error)
			if !ok || de.Code != CodeValidationFailed || de.Details["field"] != c.field || de.Details["reason"] != c.reason {
				t.Fatalf("got %v (%v), want %s on %s", err, de, c.reason, c.field)
			}
		})
	}
}

func TestCheckBusinessHoursAccepts(t *testing.T) {
	h := nineToSix()
	h.Weekly.Sat = []Interval{{"18:00", "24:00"}, {"00:00", "02:00"}} // touching ends are not an overlap
	h.Holidays = []string{"2026-12-25", "2026-01-01", "2026-12-25"}
	if err := CheckBusinessHours(&h); err != nil {
		t.Fatal(err)
	}
	if len(h.Holidays) != 2 || h.Holidays[0] != "2026-01-01" || h.Weekly.Sat[0].From != "00:00" || h.Weekly.Sun == nil {
		t.Fatalf("not normalised: %+v", h)
	}
	off := BusinessHours{}
	if err := CheckBusinessHours(&off); err != nil || off.TimeZone != "UTC" {
		t.Fatalf("a disabled empty schedule is fine: %v %+v", err, off)
	}
}

func TestIsOpen(t *testing.T) {
	h := nineToSix()
	z := h.TimeZone
	cases := []struct {
		at   string
		open bool
	}{
		{"2026-12-07 09:00", true},  // Monday, first minute
		{"2026-12-07 08:59", false}, // before
		{"2026-12-07 12:00", false}, // lunch: the end is excluded
		{"2026-12-07 17:59", true},
		{"2026-12-07 18:00", false},
		{"2026-12-05 10:00", false}, // Saturday
		{"2026-12-25 10:00", false}, // a Friday holiday
	}
	for _, c := range cases {
		if got := h.IsOpen(at(t, z, c.at)); got != c.open {
			t.Errorf("%s: open=%v, want %v", c.at, got, c.open)
		}
	}
	// The zone is the schedule's, not the caller's: 12:30 UTC is 09:30 in São Paulo.
	if !h.IsOpen(at(t, "UTC", "2026-12-07 12:30")) {
		t.Error("instant read in the wrong zone")
	}
	if !(BusinessHours{}).IsOpen(time.Now()) {
		t.Error("a disabled schedule is always open")
	}
}

func TestNextOpen(t *testing.T) {
	h := nineToSix()
	z := h.TimeZone
	cases := []struct{ at, want string }{
		{"2026-12-07 10:00", "2026-12-07 10:00"}, // open now
		{"2026-12-07 12:30", "2026-12-07 13:00"}, // after lunch
		{"2026-12-04 19:00", "2026-12-07 09:00"}, // Friday evening → Monday
		{"2026-12-24 18:30", "2026-12-28 09:00"}, // holiday Friday skipped
	}
	for _, c := range cases {
		got, ok := h.NextOpen(at(t, z, c.at))
		if !ok || !got.Equal(at(t, z, c.want)) {
			t.Errorf("%s: got %v %v, want %s", c.at, got, ok, c.want)
		}
	}
	one := BusinessHours{Enabled: true, TimeZone: "UTC", Weekly: Week{Mon: []Interval{{"09:00", "10:00"}}}}
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2028; d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Monday {
			one.Holidays = append(one.Holidays, d.Format("2006-01-02"))
		}
	}
	if _, ok := one.NextOpen(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); ok {
		t.Error("every open day a holiday: never opens within the horizon")
	}
}

func TestBusinessDuration(t *testing.T) {
	h := nineToSix()
	z := h.TimeZone
	cases := []struct {
		from, to string
		want     time.Duration
	}{
		{"2026-12-07 10:00", "2026-12-07 11:00", time.Hour},
		{"2026-12-07 11:30", "2026-12-07 13:30", time.Hour},        // lunch not counted
		{"2026-12-04 17:00", "2026-12-07 10:00", 2 * time.Hour},    // over a weekend
		{"2026-12-24 17:00", "2026-12-28 09:30", 90 * time.Minute}, // over a holiday and a weekend
		{"2026-12-07 20:00", "2026-12-07 21:00", 0},
		{"2026-12-07 11:00", "2026-12-07 10:00", 0}, // backwards
	}
	for _, c := range cases {
		if got := h.BusinessDuration(at(t, z, c.from), at(t, z, c.to)); got != c.want {
			t.Errorf("%s → %s: %v, want %v", c.from, c.to, got, c.want)
		}
	}
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	if got := (BusinessHours{}).BusinessDuration(from, from.Add(5*time.Hour)); got != 5*time.Hour {
		t.Errorf("disabled: %v", got)
	}
}

// Midnight to midnight on the days clocks change is 23 or 25 real hours,
// and an interval spanning the change is as long as the clock says less
// or more.
func TestBusinessHoursAcrossDST(t *testing.T) {
	all := []Interval{{"00:00", "24:00"}}
	h := BusinessHours{Enabled: true, TimeZone: "Europe/Lisbon", Weekly: Week{Sun: all, Mon: all}}
	z := h.TimeZone
	// 2026-03-29 (Sunday) Lisbon springs forward 01:00 → 02:00.
	if got := h.BusinessDuration(at(t, z, "2026-03-29 00:00"), at(t, z, "2026-03-30 00:00")); got != 23*time.Hour {
		t.Errorf("spring day: %v", got)
	}
	// 2026-10-25 (Sunday) falls back 02:00 → 01:00.
	if got := h.BusinessDuration(at(t, z, "2026-10-25 00:00"), at(t, z, "2026-10-26 00:00")); got != 25*time.Hour {
		t.Errorf("autumn day: %v", got)
	}
	night := BusinessHours{Enabled: true, TimeZone: z, Weekly: Week{Sun: []Interval{{"00:30", "03:00"}}}}
	if got := night.BusinessDuration(at(t, z, "2026-03-28 00:00"), at(t, z, "2026-03-30 00:00")); got != 90*time.Minute {
		t.Errorf("interval over the spring change: %v", got)
	}
	// The repeated hour is open both times it happens.
	first := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC) // 01:30 WEST
	if !night.IsOpen(first) || !night.IsOpen(first.Add(time.Hour)) {
		t.Error("the repeated 01:30 is open both times")
	}
	// Monday's whole day continues Sunday's: a 24:00 end is the next midnight.
	if got, ok := h.NextOpen(at(t, z, "2026-03-30 00:00")); !ok || !got.Equal(at(t, z, "2026-03-30 00:00")) {
		t.Errorf("midnight: %v", got)
	}
}

func TestOutOfHoursNoticeLanguage(t *testing.T) {
	n := Notices{OutOfHours: DefaultOutOfHours["en"]}
	if got := n.For("es-AR").OutOfHours; got != DefaultOutOfHours["es"] {
		t.Errorf("default text follows the customer's language: %q", got)
	}
	n.OutOfHours = "Closed, back at nine."
	if got := n.For("pt").OutOfHours; got != "Closed, back at nine." {
		t.Errorf("a bot's own text is kept: %q", got)
	}
	n.Translations = map[string]NoticeTexts{"pt-BR": {OutOfHours: "Fechado."}}
	if got := n.For("pt-BR").OutOfHours; got != "Fechado." {
		t.Errorf("translation wins: %q", got)
	}
}
