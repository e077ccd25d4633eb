package httpapi

import "github.com/relevo/relevo/internal/desk"

// businessHoursRequest is a bot's schedule (desk.BusinessHours); it
// replaces the stored one whole. desk.CheckBusinessHours refuses bad
// input with details.field and details.reason.
type businessHoursRequest struct {
	Enabled bool `json:"enabled"`
	// TimeZone is an IANA name ("America/Sao_Paulo").
	TimeZone string      `json:"time_zone"`
	Weekly   weekRequest `json:"weekly"`
	// Holidays are closed local dates, "2026-12-25".
	Holidays []string `json:"holidays"`
}

// weekRequest is the open intervals of each weekday; a day left out or
// empty is closed.
type weekRequest struct {
	Mon []intervalRequest `json:"mon"`
	Tue []intervalRequest `json:"tue"`
	Wed []intervalRequest `json:"wed"`
	Thu []intervalRequest `json:"thu"`
	Fri []intervalRequest `json:"fri"`
	Sat []intervalRequest `json:"sat"`
	Sun []intervalRequest `json:"sun"`
}

// intervalRequest is "HH:MM" to "HH:MM" within one day (to may be 24:00).
type intervalRequest struct {
	From string `json:"from" required:"true"`
	To   string `json:"to" required:"true"`
}

func intervals(in []intervalRequest) []desk.Interval {
	out := make([]desk.Interval, len(in))
	for i, iv := range in {
		out[i] = desk.Interval(iv)
	}
	return out
}

// hours is the domain value (nil stays nil: the field was not sent).
func (h *businessHoursRequest) hours() *desk.BusinessHours {
	if h == nil {
		return nil
	}
	w := h.Weekly
	return &desk.BusinessHours{Enabled: h.Enabled, TimeZone: h.TimeZone, Holidays: h.Holidays, Weekly: desk.Week{
		Mon: intervals(w.Mon), Tue: intervals(w.Tue), Wed: intervals(w.Wed), Thu: intervals(w.Thu),
		Fri: intervals(w.Fri), Sat: intervals(w.Sat), Sun: intervals(w.Sun)}}
}
