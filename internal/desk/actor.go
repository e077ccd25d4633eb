package desk

// Actor is whoever asks for a change: a console user, a bot (through its
// token or its built-in flow), an integration token, or the system itself
// (sweepers, the channel on inbound).
type Actor struct {
	// User is set for console users.
	User *User
	// BotID is set for a bot token; empty with Integration means every bot.
	BotID string
	// Integration is set for bearer tokens (bot tokens included).
	Integration bool
	// System is set for Relevo's own workers.
	System bool
}

// SystemActor is the actor of sweepers and channel adapters.
var SystemActor = Actor{System: true}

// UserActor wraps a console user.
func UserActor(u User) Actor { return Actor{User: &u} }

// ID is the user id for event records, nil for bots and the system.
func (a Actor) ID() *string {
	if a.User == nil {
		return nil
	}
	id := a.User.ID
	return &id
}

// Role is the user's role, or "" for non-users.
func (a Actor) Role() Role {
	if a.User == nil {
		return ""
	}
	return a.User.Role
}

// ActsAsBot reports whether a acts for botID with a bot's rights.
func (a Actor) ActsAsBot(botID string) bool {
	if a.System {
		return true
	}
	return a.Integration && (a.BotID == "" || a.BotID == botID)
}

// CanSeeBot reports whether a may see anything of botID at all.
func (a Actor) CanSeeBot(botID string) bool {
	if a.User != nil {
		return a.User.MemberOf(botID)
	}
	return a.ActsAsBot(botID)
}

// CanSee reports whether a may read c. Agents see the queue of their bots
// and their own conversations; auditors, supervisors and admins see every
// conversation of their bots, bot phase included.
func (a Actor) CanSee(c Conversation) bool {
	if !a.CanSeeBot(c.BotID) {
		return false
	}
	if a.User == nil || a.User.Role.SeesAll() {
		return true
	}
	if c.Phase == PhaseWaiting {
		return true
	}
	return c.AssigneeID != nil && *c.AssigneeID == a.User.ID
}

// IsAssignee reports whether a is the user c is assigned to.
func (a Actor) IsAssignee(c Conversation) bool {
	return a.User != nil && c.AssigneeID != nil && *c.AssigneeID == a.User.ID
}
