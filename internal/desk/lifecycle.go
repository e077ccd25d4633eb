package desk

import "time"

// Action is something done to a conversation.
type Action string

// Actions of DESIGN.md's lifecycle table, plus the non-transition actions
// the processing lock and permissions care about.
const (
	ActHandover      Action = "handover"
	ActAssign        Action = "assign"
	ActTakeover      Action = "takeover"
	ActUnassign      Action = "unassign"
	ActTransferAgent Action = "transfer_agent"
	ActTransferTeam  Action = "transfer_team"
	ActResolve       Action = "resolve"
	ActAutoClose     Action = "auto_close"
	ActBlock         Action = "block"
	ActSend          Action = "send"
	ActTag           Action = "tag"
	ActNote          Action = "note"
)

// transitions is the lifecycle table: for each action, the phases it may
// start from and the phase it leads to. Actions absent here do not change
// the phase.
var transitions = map[Action]struct {
	from []Phase
	to   Phase
}{
	ActHandover:      {[]Phase{PhaseBot}, PhaseWaiting},
	ActAssign:        {[]Phase{PhaseWaiting}, PhaseHuman},
	ActTakeover:      {[]Phase{PhaseBot}, PhaseHuman},
	ActUnassign:      {[]Phase{PhaseHuman}, PhaseWaiting},
	ActTransferAgent: {[]Phase{PhaseHuman}, PhaseHuman},
	ActTransferTeam:  {[]Phase{PhaseHuman}, PhaseWaiting},
	ActResolve:       {[]Phase{PhaseWaiting, PhaseHuman}, PhaseClosed},
	ActAutoClose:     {[]Phase{PhaseBot, PhaseWaiting, PhaseHuman}, PhaseClosed},
	ActBlock:         {[]Phase{PhaseBot, PhaseWaiting, PhaseHuman}, PhaseClosed},
}

// Transition returns the phase a leads to from phase from, or an
// invalid_phase error (already_assigned when someone got there first).
func Transition(a Action, from Phase) (Phase, error) {
	t, ok := transitions[a]
	if !ok {
		return from, nil
	}
	for _, p := range t.from {
		if p == from {
			return t.to, nil
		}
	}
	if a == ActAssign && from == PhaseHuman {
		return from, Errorf(CodeAlreadyAssigned, "conversation is already assigned")
	}
	return from, Errorf(CodeInvalidPhase, "cannot %s a conversation in phase %s", a, from).
		WithDetail("phase", string(from))
}

// AssignAction is what assigning c is: taking it over from the bot, or
// assigning it from the queue.
func AssignAction(c Conversation) Action {
	if c.Phase == PhaseBot {
		return ActTakeover
	}
	return ActAssign
}

// Restricted reports whether a is refused while the processing lock holds.
// Exactly these five kinds of action are: sending, transferring, blocking,
// resolving and tagging. Reading, notes and everything else stay free.
func (a Action) Restricted() bool {
	switch a {
	case ActSend, ActTransferAgent, ActTransferTeam, ActBlock, ActResolve, ActTag:
		return true
	}
	return false
}

// StartsLock reports whether a starts the processing lock.
func (a Action) StartsLock() bool {
	return a == ActAssign || a == ActTakeover || a == ActTransferAgent || a == ActTransferTeam
}

// CheckLock refuses a restricted action on a locked conversation with
// conversation_locked and the time left.
func CheckLock(a Action, c Conversation, now time.Time) error {
	if !a.Restricted() || !c.Locked(now) {
		return nil
	}
	left := c.LockedUntil.Sub(now)
	secs := int((left + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	e := Errorf(CodeConversationLocked, "the conversation is being handed over; try again in %d s", secs).
		WithDetail("retry_after_seconds", secs)
	e.RetryAfter = time.Duration(secs) * time.Second
	return e
}

// Authorize checks that actor may do a to c: scope first (not_found for
// what it cannot see), then role. It does not check the phase or the lock.
func Authorize(a Action, c Conversation, actor Actor) error {
	if !actor.CanSee(c) && !lostAssignRace(a, c, actor) {
		if !(a == ActTakeover && actor.User != nil && actor.User.Role.SeesAll() && actor.CanSeeBot(c.BotID)) {
			return NotFound("conversation")
		}
	}
	if actor.System {
		return nil
	}
	role := actor.Role()
	switch a {
	case ActHandover:
		if actor.User == nil && actor.ActsAsBot(c.BotID) {
			return nil
		}
		// People hand over too: a supervisor may push a bot conversation
		// to the queue.
		if role.Supervises() {
			return nil
		}
	case ActAssign:
		if actor.User != nil {
			return nil
		}
	case ActTakeover:
		if role.SeesAll() {
			return nil
		}
	case ActUnassign, ActTransferAgent, ActTransferTeam, ActResolve, ActBlock:
		if actor.IsAssignee(c) || role.Supervises() {
			return nil
		}
	case ActSend:
		if c.Phase == PhaseBot && actor.User == nil && actor.ActsAsBot(c.BotID) {
			return nil
		}
		if c.Phase == PhaseHuman && actor.IsAssignee(c) {
			return nil
		}
		if actor.User == nil && actor.ActsAsBot(c.BotID) {
			return Errorf(CodeInvalidPhase, "the bot may write only while the conversation is in phase bot").
				WithDetail("phase", string(c.Phase))
		}
		if actor.User != nil && c.Phase != PhaseHuman {
			return Errorf(CodeInvalidPhase, "assign the conversation before writing to the customer").
				WithDetail("phase", string(c.Phase))
		}
	case ActTag:
		if actor.IsAssignee(c) || role.SeesAll() || actor.ActsAsBot(c.BotID) {
			return nil
		}
	case ActNote:
		if actor.User != nil {
			return nil
		}
	}
	return Errorf(CodeForbidden, "%s may not %s this conversation", describe(actor), a)
}

// lostAssignRace reports whether a is an agent of c's bot assigning a
// conversation someone else has just taken from the queue. The agent no
// longer sees it (it is no longer waiting), but answering not_found would
// turn a lost race into a vanished conversation: Transition tells it
// already_assigned (409) instead, as the compare-and-set promises.
func lostAssignRace(a Action, c Conversation, actor Actor) bool {
	return a == ActAssign && c.Phase == PhaseHuman && actor.User != nil && actor.CanSeeBot(c.BotID)
}

func describe(a Actor) string {
	switch {
	case a.User != nil:
		return "a user with role " + string(a.User.Role)
	case a.Integration:
		return "this token"
	}
	return "the system"
}

// CheckAssignee validates the user a conversation is being given to.
// Agents must be online to receive work; auditors, supervisors and admins
// taking a conversation themselves need not be: taking it puts them online
// (TakerGoesOnline).
func CheckAssignee(target User, botID string, self bool) error {
	if !target.MemberOf(botID) {
		return Errorf(CodeAgentUnavailable, "%s is not a member of this bot", target.Name)
	}
	if self && target.Role != RoleAgent {
		return nil
	}
	if target.Status != StatusOnline {
		return Errorf(CodeAgentUnavailable, "%s is %s", target.Name, target.Status).
			WithDetail("status", string(target.Status))
	}
	return nil
}

// TakerGoesOnline reports whether taking a conversation (assign to self,
// takeover) must set the taker online. Whoever takes a conversation holds a
// live customer from then on, and the floor must never show offline or
// paused people holding customers. Agents are online already (CheckAssignee
// refuses them otherwise); an offline auditor, supervisor or admin who takes
// one is set online in the same transaction as the take.
func TakerGoesOnline(taker User, self bool) bool {
	return self && taker.Status != StatusOnline
}
