package desk

import "time"

// Verb is one thing a person may do to a conversation, as the console
// offers it: the entries of a conversation's allowed_actions.
type Verb string

// The verbs, in the order the lists give them.
const (
	VerbAssign   Verb = "assign"
	VerbTakeOver Verb = "take_over"
	VerbUnassign Verb = "unassign"
	VerbTransfer Verb = "transfer"
	VerbResolve  Verb = "resolve"
	VerbBlock    Verb = "block"
	VerbTag      Verb = "tag"
	VerbReply    Verb = "reply"
	VerbNote     Verb = "note"
	VerbMarkRead Verb = "mark_read"
)

// Verbs lists every verb once, in order.
var Verbs = []Verb{VerbAssign, VerbTakeOver, VerbUnassign, VerbTransfer, VerbResolve, VerbBlock, VerbTag,
	VerbReply, VerbNote, VerbMarkRead}

// verbAction is the lifecycle action each verb performs. Transfer is
// checked as a transfer to an agent: a transfer to a team has the same
// scope, role, phase and lock rules. mark_read has no lifecycle action.
var verbAction = map[Verb]Action{
	VerbAssign: ActAssign, VerbTakeOver: ActTakeover, VerbUnassign: ActUnassign, VerbTransfer: ActTransferAgent,
	VerbResolve: ActResolve, VerbBlock: ActBlock, VerbTag: ActTag, VerbReply: ActSend, VerbNote: ActNote,
}

// Allowed is what an actor may do to a conversation at one instant.
type Allowed struct {
	// Now is what the actor may do now, the processing lock included.
	Now []Verb
	// AfterLock is what the processing lock alone holds back: allowed once
	// the conversation's locked_until has passed.
	AfterLock []Verb
}

// AllowedActions runs the same checks as Decide (Authorize, Transition,
// CheckLock, AssignTarget for the actor taking it itself) for every verb,
// so what a client offers is exactly what the server will accept. Who a
// conversation would be given to (online, member) is not part of it.
func AllowedActions(c Conversation, actor Actor, now time.Time) Allowed {
	out := Allowed{Now: []Verb{}, AfterLock: []Verb{}}
	for _, v := range Verbs {
		switch err := verbCheck(v, c, actor, now); {
		case err == nil:
			out.Now = append(out.Now, v)
		case IsCode(err, CodeConversationLocked):
			out.AfterLock = append(out.AfterLock, v)
		}
	}
	return out
}

func verbCheck(v Verb, c Conversation, actor Actor, now time.Time) error {
	if v == VerbMarkRead {
		return CheckReadState(c, actor)
	}
	a := verbAction[v]
	if err := Authorize(a, c, actor); err != nil {
		return err
	}
	if _, err := Transition(a, c.Phase); err != nil {
		return err
	}
	if a == ActAssign || a == ActTakeover {
		if _, err := AssignTarget(actor, ""); err != nil {
			return err
		}
	}
	return CheckLock(a, c, now)
}

// CheckReadState says whether actor may keep read state on c: read state
// is per user, so only users may, on what they can see.
func CheckReadState(c Conversation, actor Actor) error {
	if actor.User == nil {
		return Errorf(CodeForbidden, "read state belongs to users")
	}
	if !actor.CanSee(c) {
		return NotFound("conversation")
	}
	return nil
}

// ForViewer fills in what actor may do with c at now, for a response or a
// frame served to that actor alone.
func (c *Conversation) ForViewer(actor Actor, now time.Time) {
	al := AllowedActions(*c, actor, now)
	c.AllowedActions, c.ActionsAfterLock = al.Now, al.AfterLock
}
