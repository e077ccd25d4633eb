package desk

import "unicode/utf8"

// Limits of a monitor filter: a bookmark names a handful of agents or
// teams, never hundreds.
const (
	MaxMonitorFilterValues = 50
	maxFilterIDLen         = 64
	maxFilterTextLen       = 200
)

// MonitorFilter narrows the supervisor's floor (GET /api/v1/monitor and
// the console's lists, which apply the same rules to live frames). Empty
// fields do not filter; a list matches any of its values; Contact is a
// contact's exact name or phone, Protocol a session's exact protocol.
type MonitorFilter struct {
	BotIDs      []string
	TeamIDs     []string
	ChannelIDs  []string
	AssigneeIDs []string // user ids; "none" matches unassigned
	Contact     string
	Protocol    string
}

// CheckMonitorFilter validates f for a and returns the bots to count: the
// filter's bots, each one a must be able to see (one outside a's bots is
// "not found", like an unknown one, so the answer says nothing of other
// bots), else a's own scope (nil: every bot). Team, channel and agent ids
// are only checked for shape: counting stays inside the scope, so an id
// of another bot matches nothing.
func CheckMonitorFilter(a Actor, f MonitorFilter) ([]string, error) {
	for _, l := range []struct {
		field string
		ids   []string
	}{{"bot", f.BotIDs}, {"team", f.TeamIDs}, {"channel", f.ChannelIDs}, {"assignee", f.AssigneeIDs}} {
		if len(l.ids) > MaxMonitorFilterValues {
			return nil, Invalid(l.field, "at most %d values", MaxMonitorFilterValues)
		}
		for _, id := range l.ids {
			if !printable(id, maxFilterIDLen) {
				return nil, Invalid(l.field, "not an id").WithDetail("id", id)
			}
		}
	}
	if !printable(f.Contact, maxFilterTextLen) {
		return nil, Invalid("contact", "at most %d printable characters", maxFilterTextLen)
	}
	if !printable(f.Protocol, maxFilterIDLen) {
		return nil, Invalid("protocol", "at most %d printable characters", maxFilterIDLen)
	}
	if len(f.BotIDs) == 0 {
		return BotScope(a), nil
	}
	for _, b := range f.BotIDs {
		if !a.CanSeeBot(b) {
			return nil, NotFound("bot")
		}
	}
	return f.BotIDs, nil
}

// printable reports whether s is valid UTF-8 of at most max runes with no
// control characters.
func printable(s string, max int) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
