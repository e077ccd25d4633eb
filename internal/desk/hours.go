package desk

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// BusinessHours is when a bot's desk is staffed: a weekly schedule read in
// TimeZone, minus holidays. Outside it a handover still queues, but the
// customer is told the desk is closed and the conversation is flagged.
//
// An interval never crosses midnight: "22:00–02:00" is written as
// 22:00–24:00 on one day and 00:00–02:00 on the next. Refusing the
// crossing form keeps one reading of every interval (which day's holiday
// closes it?) and "24:00" is accepted as an end only.
type BusinessHours struct {
	Enabled  bool   `json:"enabled"`
	TimeZone string `json:"time_zone"`
	Weekly   Week   `json:"weekly"`
	// Holidays are closed local dates, "2006-01-02".
	Holidays []string `json:"holidays"`
}

// Week is the open intervals of each weekday.
type Week struct {
	Mon []Interval `json:"mon"`
	Tue []Interval `json:"tue"`
	Wed []Interval `json:"wed"`
	Thu []Interval `json:"thu"`
	Fri []Interval `json:"fri"`
	Sat []Interval `json:"sat"`
	Sun []Interval `json:"sun"`
}

// Interval is one open span of a day, "HH:MM" to "HH:MM" (to may be 24:00).
type Interval struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// weekdays pairs each wire key with its time.Weekday, in the order the
// console shows them.
var weekdays = []struct {
	key string
	day time.Weekday
}{{"mon", time.Monday}, {"tue", time.Tuesday}, {"wed", time.Wednesday}, {"thu", time.Thursday},
	{"fri", time.Friday}, {"sat", time.Saturday}, {"sun", time.Sunday}}

// Day is the intervals of weekday d.
func (w Week) Day(d time.Weekday) []Interval {
	return [...][]Interval{w.Sun, w.Mon, w.Tue, w.Wed, w.Thu, w.Fri, w.Sat}[d]
}

// The "reason" detail of a refused schedule, next to details.field: stable
// words a client can branch on.
const (
	HoursBadZone     = "bad_time_zone"
	HoursBadTime     = "bad_time"
	HoursFromNotTo   = "from_not_before_to"
	HoursOverlap     = "overlap"
	HoursBadDate     = "bad_date"
	HoursNeverOpens  = "never_opens"
	HoursTooMany     = "too_many"
	maxHolidays      = 366
	maxDayIntervals  = 12
	holidayLayout    = "2006-01-02"
	hoursFieldPrefix = "business_hours."
)

func hoursInvalid(field, reason, format string, args ...any) *Error {
	return Invalid(hoursFieldPrefix+field, format, args...).WithDetail("reason", reason)
}

// clock parses "HH:MM" to minutes from midnight; end allows "24:00".
func clock(s string, end bool) (int, bool) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	if _, err := fmt.Sscanf(s, "%2d:%2d", &h, &m); err != nil || m < 0 || m > 59 || h < 0 {
		return 0, false
	}
	if h == 24 && m == 0 && end {
		return 24 * 60, true
	}
	if h > 23 {
		return 0, false
	}
	return h*60 + m, true
}

// CheckBusinessHours validates h and normalises it (holidays sorted and
// unique, each day's intervals sorted). A disabled schedule is still
// checked when it has content, so what is saved can be switched on later.
func CheckBusinessHours(h *BusinessHours) error {
	h.TimeZone = strings.TrimSpace(h.TimeZone)
	if h.TimeZone == "" && !h.Enabled {
		h.TimeZone = "UTC"
	}
	// time.LoadLocation also takes "" and "Local" (the server's zone) and
	// file paths: only real IANA names are wanted.
	if h.TimeZone == "" || h.TimeZone == "Local" || strings.HasPrefix(h.TimeZone, "/") || strings.Contains(h.TimeZone, "..") {
		return hoursInvalid("time_zone", HoursBadZone, "%q is not an IANA time zone", h.TimeZone)
	}
	if _, err := time.LoadLocation(h.TimeZone); err != nil {
		return hoursInvalid("time_zone", HoursBadZone, "%q is not an IANA time zone", h.TimeZone)
	}
	open := 0
	for _, wd := range weekdays {
		list := h.Weekly.dayRef(wd.day)
		if len(*list) > maxDayIntervals {
			return hoursInvalid("weekly."+wd.key, HoursTooMany, "at most %d intervals a day", maxDayIntervals)
		}
		if err := checkDay(wd.key, *list); err != nil {
			return err
		}
		sort.Slice(*list, func(i, j int) bool { return (*list)[i].From < (*list)[j].From })
		open += len(*list)
	}
	if len(h.Holidays) > maxHolidays {
		return hoursInvalid("holidays", HoursBadDate, "at most %d holidays", maxHolidays)
	}
	seen := map[string]bool{}
	days := make([]string, 0, len(h.Holidays))
	for i, d := range h.Holidays {
		d = strings.TrimSpace(d)
		if t, err := time.Parse(holidayLayout, d); err != nil || t.Format(holidayLayout) != d {
			return hoursInvalid(fmt.Sprintf("holidays.%d", i), HoursBadDate, "%q is not a date like 2026-12-25", d)
		}
		if !seen[d] {
			seen[d] = true
			days = append(days, d)
		}
	}
	sort.Strings(days)
	h.Holidays = days
	if h.Enabled && open == 0 {
		return hoursInvalid("weekly", HoursNeverOpens, "the schedule never opens: add at least one interval")
	}
	for _, wd := range weekdays {
		if l := h.Weekly.dayRef(wd.day); *l == nil {
			*l = []Interval{}
		}
	}
	return nil
}

// checkDay refuses bad times, from ≥ to and overlapping intervals of one
// day; the field names the day and the interval ("weekly.mon.1").
func checkDay(key string, list []Interval) error {
	type span struct{ from, to, i int }
	spans := make([]span, 0, len(list))
	for i, iv := range list {
		field := fmt.Sprintf("weekly.%s.%d", key, i)
		from, ok1 := clock(iv.From, false)
		to, ok2 := clock(iv.To, true)
		if !ok1 || !ok2 {
			return hoursInvalid(field, HoursBadTime, "times are HH:MM (00:00 to 24:00)")
		}
		if from >= to {
			return hoursInvalid(field, HoursFromNotTo, "%s is not before %s (an interval ends the day it starts)", iv.From, iv.To)
		}
		spans = append(spans, span{from, to, i})
	}
	sort.Slice(spans, func(a, b int) bool { return spans[a].from < spans[b].from })
	for k := 1; k < len(spans); k++ {
		if spans[k].from < spans[k-1].to {
			return hoursInvalid(fmt.Sprintf("weekly.%s.%d", key, spans[k].i), HoursOverlap, "overlaps another interval of the day")
		}
	}
	return nil
}

func (w *Week) dayRef(d time.Weekday) *[]Interval {
	return [...]*[]Interval{&w.Sun, &w.Mon, &w.Tue, &w.Wed, &w.Thu, &w.Fri, &w.Sat}[d]
}

// location is h's zone; a stored schedule was checked, UTC is the fallback
// for one that no longer loads (a zone removed from the tz database).
func (h BusinessHours) location() *time.Location {
	if l, ok := zoneCache.Load(h.TimeZone); ok {
		return l.(*time.Location)
	}
	loc, err := time.LoadLocation(h.TimeZone)
	if err != nil || h.TimeZone == "" {
		loc = time.UTC
	}
	zoneCache.Store(h.TimeZone, loc)
	return loc
}

// zoneCache keeps loaded zones: LoadLocation reads and parses the tz
// database each time, and a report measures thousands of waits.
var zoneCache sync.Map

// spansOn is the open spans, as instants, of the local date y-m-d. A
// wall time that a DST change skips or repeats is resolved by time.Date,
// so a day that loses an hour is an hour shorter.
func (h BusinessHours) spansOn(y int, m time.Month, d int, loc *time.Location) [][2]time.Time {
	day := time.Date(y, m, d, 12, 0, 0, 0, loc)
	for _, hd := range h.Holidays {
		if hd == day.Format(holidayLayout) {
			return nil
		}
	}
	var out [][2]time.Time
	for _, iv := range h.Weekly.Day(day.Weekday()) {
		from, _ := clock(iv.From, false)
		to, _ := clock(iv.To, true)
		out = append(out, [2]time.Time{
			time.Date(y, m, d, from/60, from%60, 0, 0, loc),
			time.Date(y, m, d, to/60, to%60, 0, 0, loc), // 24:00 normalises to the next midnight
		})
	}
	return out
}

// IsOpen reports whether t falls in an open interval; a disabled schedule
// is always open.
func (h BusinessHours) IsOpen(t time.Time) bool {
	if !h.Enabled {
		return true
	}
	lt := t.In(h.location())
	for _, s := range h.spansOn(lt.Year(), lt.Month(), lt.Day(), lt.Location()) {
		if !t.Before(s[0]) && t.Before(s[1]) {
			return true
		}
	}
	return false
}

// horizon bounds NextOpen's search: a year of holidays and a week more.
const horizon = 366 + 7

// NextOpen is the first instant at or after t when the desk is open; false
// when it does not open within a year (every open day a holiday).
func (h BusinessHours) NextOpen(t time.Time) (time.Time, bool) {
	if h.IsOpen(t) {
		return t, true
	}
	loc := h.location()
	lt := t.In(loc)
	for i := 0; i <= horizon; i++ {
		d := time.Date(lt.Year(), lt.Month(), lt.Day()+i, 12, 0, 0, 0, loc)
		for _, s := range h.spansOn(d.Year(), d.Month(), d.Day(), loc) {
			if s[0].After(t) {
				return s[0], true
			}
		}
	}
	return time.Time{}, false
}

// BusinessDuration is how much of [from, to) the desk was open; with the
// schedule disabled, all of it. Waits in reports are measured with it.
func (h BusinessHours) BusinessDuration(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if !h.Enabled {
		return to.Sub(from)
	}
	loc := h.location()
	lf := from.In(loc)
	var total time.Duration
	// A day before from's date too: its 24:00 end is from's midnight.
	for d := time.Date(lf.Year(), lf.Month(), lf.Day()-1, 12, 0, 0, 0, loc); d.Before(to.Add(24 * time.Hour)); d = d.AddDate(0, 0, 1) {
		for _, s := range h.spansOn(d.Year(), d.Month(), d.Day(), loc) {
			a, b := s[0], s[1]
			if a.Before(from) {
				a = from
			}
			if b.After(to) {
				b = to
			}
			if b.After(a) {
				total += b.Sub(a)
			}
		}
	}
	return total
}

// DefaultOutOfHours is the out-of-hours notice of a bot that sets none, by
// customer language.
var DefaultOutOfHours = map[string]string{
	"en":    "We are closed right now. Your message is in the queue and an agent will answer when we open.",
	"es":    "Ahora estamos cerrados. Tu mensaje está en la cola y un agente te responderá cuando abramos.",
	"pt-BR": "Estamos fechados agora. Sua mensagem está na fila e um atendente responderá quando abrirmos.",
}
