package desk

import "time"

// AssignmentMode is how a queue (a team's, or a bot's conversations
// without a team) is served: people take conversations by hand, or the
// drainer gives each one to the member with the most room.
type AssignmentMode string

// Assignment modes; manual is the default of every team and bot.
const (
	AssignManual    AssignmentMode = "manual"
	AssignAutomatic AssignmentMode = "automatic"
)

// MaxReofferAfter bounds a team's re-offer delay: past a day the customer
// has long been lost, and the setting is a typo.
const MaxReofferAfter = Seconds(24 * 60 * 60)

// MinReofferAfter is the shortest re-offer delay other than 0 (off): an
// agent needs time to read the conversation before answering.
const MinReofferAfter = Seconds(30)

// CheckAssignment validates a queue's assignment settings; "" reads as
// manual. reoffer is 0 (off) or between MinReofferAfter and
// MaxReofferAfter.
func CheckAssignment(mode *AssignmentMode, reoffer Seconds) error {
	if *mode == "" {
		*mode = AssignManual
	}
	if *mode != AssignManual && *mode != AssignAutomatic {
		return Invalid("assignment", "must be manual or automatic")
	}
	if reoffer != 0 && (reoffer < MinReofferAfter || reoffer > MaxReofferAfter) {
		return Invalid("reoffer_after", "must be 0 (off) or between %d seconds and 24 hours", MinReofferAfter)
	}
	return nil
}

// Candidate is a queue member as the automatic assignment weighs them.
type Candidate struct {
	ID       string
	Role     Role
	Status   UserStatus
	MaxChats int
	// Open is how many open conversations (phase human) they hold now.
	Open int
	// LastAssignedAt is their last assignment; zero for never.
	LastAssignedAt time.Time
}

// Free is how many more conversations c can hold.
func (c Candidate) Free() int { return c.MaxChats - c.Open }

// PickAgent chooses who gets the longest-waiting conversation of a queue:
// an online agent (not paused, not offline) with free capacity, the one
// with the most of it, ties to whoever has waited longest since their last
// assignment (never first), then by id so every node picks the same.
// exclude is the agent the conversation was just re-offered away from: it
// does not go straight back to them. Supervisors, auditors and admins are
// never picked: they take work by hand (FloorCapacity counts agents only,
// and so does this). ok is false when nobody has room.
func PickAgent(cands []Candidate, exclude string) (id string, ok bool) {
	var best *Candidate
	for i := range cands {
		c := &cands[i]
		if c.Role != RoleAgent || c.Status != StatusOnline || c.Free() <= 0 || c.ID == exclude {
			continue
		}
		if best == nil || better(*c, *best) {
			best = c
		}
	}
	if best == nil {
		return "", false
	}
	return best.ID, true
}

func better(a, b Candidate) bool {
	if a.Free() != b.Free() {
		return a.Free() > b.Free()
	}
	if !a.LastAssignedAt.Equal(b.LastAssignedAt) {
		return a.LastAssignedAt.Before(b.LastAssignedAt)
	}
	return a.ID < b.ID
}

// MayServe reports whether a committed change may let the automatic
// assignment give out a conversation: one joined a queue (handover,
// unassign, transfer to a team), an agent's hands freed (resolve,
// transfer away, unassign), someone's status changed (coming online,
// unpausing), or capacity was announced (a queue switched to automatic,
// max_chats raised). The drainer's own assignments (waiting to human)
// are none of these, so draining does not wake itself.
func MayServe(c Change) bool {
	switch c.Type {
	case ChangeCapacity, ChangeAgentStatus:
		return true
	case ChangeConversation:
		if c.Move == nil {
			return false
		}
		p, n := c.Move.Prev, c.Move.Next
		queued := n.Phase == PhaseWaiting && (p.Phase != PhaseWaiting || p.TeamID != n.TeamID)
		freed := p.Phase == PhaseHuman && (n.Phase != PhaseHuman || n.AssigneeID != p.AssigneeID)
		return queued || freed
	}
	return false
}
