package desk

import "time"

// Target is where an action sends a conversation: the user it is given to
// (assign, takeover, transfer_agent; empty on assign and takeover means the
// actor itself) or the team it is queued for (handover, transfer_team).
type Target struct {
	AssigneeID string
	TeamID     string
}

// Decision is everything an action does to a conversation's row, decided
// from the conversation, the actor and the time alone. The store persists
// it as it is, in its transaction, with a compare-and-set on the version it
// read: it never works out a phase or a field again by hand.
type Decision struct {
	Action       Action
	Phase        Phase
	AssigneeID   *string
	TeamID       *string
	WaitingSince *time.Time
	ClosedReason *string
	ClosedAt     *time.Time
	// NeedsProtocol asks the store for a protocol number (a global counter
	// the domain cannot hold) because the conversation has none yet.
	NeedsProtocol bool
	// StartsLock asks the store to open a processing lock: a fresh lock id
	// and a deadline of --lock-max, which tie the queued work to it.
	StartsLock bool
	// ClearsLock: a closed conversation holds no lock.
	ClearsLock bool
}

// Closed reasons as stored in closed_reason.
const (
	ClosedResolved   = "resolved"
	ClosedBlocked    = "blocked"
	ClosedAutoClosed = "auto_closed"
)

// Decide checks that actor may do a to c at now (scope, role, phase, lock,
// who may give work to whom) and returns what a does to the row. The
// target user's own state (online, member of the bot) is checked
// separately by CheckAssignee, against a row the store reads in the same
// transaction.
func Decide(a Action, c Conversation, actor Actor, now time.Time, to Target) (Decision, error) {
	if err := Authorize(a, c, actor); err != nil {
		return Decision{}, err
	}
	next, err := Transition(a, c.Phase)
	if err != nil {
		return Decision{}, err
	}
	if err := CheckLock(a, c, now); err != nil {
		return Decision{}, err
	}
	d := Decision{Action: a, Phase: next, AssigneeID: c.AssigneeID, TeamID: c.TeamID,
		WaitingSince: c.WaitingSince, ClosedReason: c.ClosedReason, ClosedAt: c.ClosedAt}
	d.StartsLock = a.StartsLock()
	switch a {
	case ActHandover:
		d.WaitingSince = &now
		if to.TeamID != "" {
			d.TeamID = ptr(to.TeamID)
		}
		d.NeedsProtocol = c.Protocol == nil
	case ActAssign, ActTakeover:
		target, err := AssignTarget(actor, to.AssigneeID)
		if err != nil {
			return Decision{}, err
		}
		d.AssigneeID = &target
		d.NeedsProtocol = c.Protocol == nil
	case ActUnassign:
		// The team stays: the conversation goes back to the queue it came from.
		d.AssigneeID, d.WaitingSince = nil, &now
	case ActTransferAgent:
		d.AssigneeID = ptr(to.AssigneeID)
	case ActTransferTeam:
		d.AssigneeID, d.TeamID, d.WaitingSince = nil, ptr(to.TeamID), &now
	case ActResolve, ActBlock, ActAutoClose:
		why := map[Action]string{ActResolve: ClosedResolved, ActBlock: ClosedBlocked, ActAutoClose: ClosedAutoClosed}[a]
		d.ClosedReason, d.ClosedAt, d.ClearsLock = &why, &now, true
	}
	return d, nil
}

// AssignTarget is who an assign or takeover gives the conversation to:
// the actor itself when agentID is empty or its own id; someone else only
// when a supervisor or admin asks, or the system's automatic assignment.
// Bots and integrations take nothing.
func AssignTarget(actor Actor, agentID string) (string, error) {
	if actor.System && agentID != "" {
		return agentID, nil // the automatic assignment (PickAgent chose)
	}
	if actor.User == nil {
		return "", Errorf(CodeForbidden, "only users can take conversations")
	}
	if agentID == "" || agentID == actor.User.ID {
		return actor.User.ID, nil
	}
	if !actor.User.Role.Supervises() {
		return "", Errorf(CodeForbidden, "only supervisors assign conversations to others")
	}
	return agentID, nil
}

// CheckTransfer validates a transfer request before anything is read: a
// reason always, exactly one destination, a bounded note.
func CheckTransfer(reasonID, agentID, teamID, note string) error {
	if reasonID == "" {
		return Errorf(CodeReasonRequired, "a reason is required to transfer a conversation")
	}
	if (agentID == "") == (teamID == "") {
		return Invalid("agent_id", "give exactly one of agent_id and team_id")
	}
	if len(note) > 2000 {
		return Invalid("note", "at most 2000 characters")
	}
	return nil
}

func ptr(s string) *string { return &s }
