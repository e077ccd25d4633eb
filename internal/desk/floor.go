package desk

// Floor rules: what a supervisor may hide from its own monitor, and how
// the queue health figures count the floor's capacity.

// MaxHiddenPerKind bounds each list of a supervisor's monitor preferences.
const MaxHiddenPerKind = 500

// The waiting threshold of the queue health strip: a conversation waiting
// at least this long is highlighted. Below 30 s everything would be
// flagged; past a day the setting means nothing.
const (
	DefaultWaitingThreshold = 300
	MinWaitingThreshold     = 30
	MaxWaitingThreshold     = 24 * 3600
)

// MonitorPreferences is what one supervisor hides from its own monitor,
// and its waiting threshold; nobody else's view changes.
type MonitorPreferences struct {
	HiddenAgentIDs []string `json:"hidden_agent_ids"`
	HiddenTeamIDs  []string `json:"hidden_team_ids"`
	// WaitingThresholdSeconds: conversations waiting at least this long
	// are highlighted on the queue health strip (default 300).
	WaitingThresholdSeconds int `json:"waiting_threshold_seconds"`
}

// CheckWaitingThreshold validates a supervisor's waiting threshold.
func CheckWaitingThreshold(seconds int) error {
	if seconds < MinWaitingThreshold || seconds > MaxWaitingThreshold {
		return Invalid("waiting_threshold_seconds", "between %d and %d seconds", MinWaitingThreshold, MaxWaitingThreshold).
			WithDetail("min", MinWaitingThreshold).WithDetail("max", MaxWaitingThreshold)
	}
	return nil
}

// CheckMonitorPreferences validates p for a: every id must name one of
// visibleUsers (the users a may see) or visibleTeams (the teams of a's
// bots); an unknown id and one outside a's bots are refused alike, so the
// answer says nothing about other bots. It returns p with duplicates
// dropped and nil lists made empty. A zero waiting threshold is unset and
// becomes the default; any other must be within CheckWaitingThreshold's
// bounds (callers taking a threshold from outside check it there first,
// so an explicit 0 is refused, not defaulted).
func CheckMonitorPreferences(a Actor, p MonitorPreferences, visibleUsers []User, visibleTeams []Team) (MonitorPreferences, error) {
	if p.WaitingThresholdSeconds == 0 {
		p.WaitingThresholdSeconds = DefaultWaitingThreshold
	}
	if err := CheckWaitingThreshold(p.WaitingThresholdSeconds); err != nil {
		return MonitorPreferences{}, err
	}
	users := map[string]bool{}
	for _, u := range visibleUsers {
		if CanSeeUser(a, u) {
			users[u.ID] = true
		}
	}
	teams := map[string]bool{}
	for _, t := range visibleTeams {
		if a.CanSeeBot(t.BotID) {
			teams[t.ID] = true
		}
	}
	agentIDs, err := checkHidden("hidden_agent_ids", p.HiddenAgentIDs, users)
	if err != nil {
		return MonitorPreferences{}, err
	}
	teamIDs, err := checkHidden("hidden_team_ids", p.HiddenTeamIDs, teams)
	if err != nil {
		return MonitorPreferences{}, err
	}
	return MonitorPreferences{HiddenAgentIDs: agentIDs, HiddenTeamIDs: teamIDs, WaitingThresholdSeconds: p.WaitingThresholdSeconds}, nil
}

func checkHidden(field string, ids []string, known map[string]bool) ([]string, error) {
	if len(ids) > MaxHiddenPerKind {
		return nil, Invalid(field, "at most %d ids", MaxHiddenPerKind)
	}
	out := []string{}
	seen := map[string]bool{}
	for _, id := range ids {
		if !known[id] {
			return nil, Invalid(field, "unknown id %q", id).WithDetail("id", id)
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// FloorCapacity counts the agents online among users and the sum of their
// max_chats: the floor's capacity right now. Supervisors, auditors and
// admins are left out (admins belong to every bot and would count on
// every supervisor's floor).
func FloorCapacity(users []User) (online, capacity int) {
	for _, u := range users {
		if u.Role == RoleAgent && u.Status == StatusOnline {
			online++
			capacity += u.MaxChats
		}
	}
	return online, capacity
}
