package store

import (
	"context"
	"strings"

	"github.com/relevo/relevo/internal/botapi"
	"github.com/relevo/relevo/internal/desk"
)

// HandoverInput is a request to queue a bot conversation for people.
type HandoverInput struct {
	TeamID string
	Note   string
	// NodeID is the flow node the built-in flow handed over at ("" for
	// any other handover); kept on the event for the bots report.
	NodeID string
}

// Handover moves a conversation from the bot to the human queue: it gets
// its protocol, optionally a team, and the customer is told to wait.
func (s *Store) Handover(ctx context.Context, actor desk.Actor, id string, in HandoverInput) (desk.Conversation, error) {
	return s.run(ctx, actor, func(t *txn) (string, error) {
		c, err := t.s.getConversation(t.ctx, t.tx, id, "")
		if err != nil {
			return "", err
		}
		bot, err := t.botFor(c)
		if err != nil {
			return "", err
		}
		if err := t.handover(&c, bot, actor, in); err != nil {
			return "", err
		}
		return c.ID, nil
	})
}

// handover is shared by the API, the flow engine and inbound without a bot.
func (t *txn) handover(c *desk.Conversation, bot desk.Bot, actor desk.Actor, in HandoverInput) error {
	d, err := desk.Decide(desk.ActHandover, *c, actor, t.now, desk.Target{TeamID: in.TeamID})
	if err != nil {
		return err
	}
	if in.TeamID != "" {
		if err := t.checkTeam(in.TeamID, c.BotID); err != nil {
			return err
		}
	}
	// Stored with the move, so the frame announcing the queued
	// conversation already carries the mark.
	notice := bot.Notices.Queued
	if !bot.BusinessHours.IsOpen(t.now) {
		c.OutOfHours, notice = true, bot.Notices.OutOfHours
	}
	if _, err := t.compareAndSet(c, d); err != nil {
		return err
	}
	ev := desk.Event{Type: desk.EventHandover, From: string(desk.PhaseBot), To: deref(c.TeamID), Note: in.Note, NodeID: in.NodeID}
	if err := t.addEvent(c, actor, ev, "Handed over to the queue"); err != nil {
		return err
	}
	if err := t.notify(c, bot, notice, nil); err != nil {
		return err
	}
	return t.tellBot(c, bot, botapi.EventHandover, nil)
}

// AssignInput names who gets the conversation; empty means the caller.
type AssignInput struct {
	AgentID string
}

// Assign gives a waiting conversation to a user (compare-and-set: one
// winner, the others get already_assigned). On a bot-phase conversation an
// auditor, supervisor or admin takes it over the same way.
func (s *Store) Assign(ctx context.Context, actor desk.Actor, id string, in AssignInput) (desk.Conversation, error) {
	// Losers of a race are answered from a read, so they do not queue
	// behind the single writer (or hold a transaction on PostgreSQL). Only
	// already_assigned is answered so: a conversation seen assigned stays
	// so or changes hands later, either way this assign lost. The
	// compare-and-set in the write stays the authority for a race that
	// passes this read.
	if c, err := s.getConversation(ctx, s.reads, id, ""); err == nil {
		_, err := desk.Decide(desk.AssignAction(c), c, actor, s.clock.Now(), desk.Target{AssigneeID: in.AgentID})
		if desk.IsCode(err, desk.CodeAlreadyAssigned) {
			return desk.Conversation{}, err
		}
	}
	return s.run(ctx, actor, func(t *txn) (string, error) {
		var c desk.Conversation
		var pre *assignee
		var err error
		// The target is known before the read (unless the actor may not
		// name one: Decide answers that), so it is read with the conversation.
		if target, terr := desk.AssignTarget(actor, in.AgentID); terr == nil {
			c, pre, err = t.conversationAndAssignee(id, target)
		} else {
			c, err = t.s.getConversation(t.ctx, t.tx, id, "")
		}
		if err != nil {
			return "", err
		}
		return c.ID, t.assign(&c, actor, in.AgentID, pre)
	})
}

// assign is the one path of every assignment: by hand (Assign) and by the
// automatic assignment (AssignNext, whose actor is the system). pre is the
// user read with the conversation, if any (assignread.go).
func (t *txn) assign(c *desk.Conversation, actor desk.Actor, agentID string, pre *assignee) error {
	a := desk.AssignAction(*c)
	d, err := desk.Decide(a, *c, actor, t.now, desk.Target{AssigneeID: agentID})
	if err != nil {
		return err
	}
	self := actor.User != nil && *d.AssigneeID == actor.User.ID
	// The target is read inside the transaction, the taker too: its
	// status decides both the check and whether the take sets it online.
	target, err := t.target(pre, *d.AssigneeID)
	if err != nil && !self {
		return desk.Invalid("agent_id", "no such user")
	}
	if err != nil {
		return err
	}
	if err := desk.CheckAssignee(target, c.BotID, self); err != nil {
		return err
	}
	bot, err := t.botFor(*c)
	if err != nil {
		return err
	}
	from := c.Phase
	lockID, err := t.compareAndSet(c, d)
	if err != nil {
		return err
	}
	if desk.TakerGoesOnline(target, self) {
		// Announced as agent.status like any status change.
		if err := t.setStatus(target.ID, desk.StatusOnline, "", ""); err != nil {
			return err
		}
	}
	// The automatic assignment's tie-break: who has waited longest since
	// their last assignment, by hand or not. Deferred (pending.go).
	t.later("last assigned", `UPDATE users SET last_assigned_at = $2 WHERE id = $1`, target.ID, ms(t.now))
	ev := desk.Event{Type: desk.EventAssigned, From: string(from), To: target.ID}
	text := "Assigned to " + target.Name
	switch {
	case a == desk.ActTakeover:
		text = actor.User.Name + " took over from the bot"
	case actor.System:
		text = "Assigned automatically to " + target.Name
	}
	if err := t.addEvent(c, actor, ev, text); err != nil {
		return err
	}
	if err := t.notify(c, bot, assignedNotice(bot, target), lockID); err != nil {
		return err
	}
	if err := t.tellBot(c, bot, botapi.EventAssigned, lockID); err != nil {
		return err
	}
	return t.endIdleLock(c, *lockID)
}

func assignedNotice(bot desk.Bot, target desk.User) string {
	return strings.ReplaceAll(bot.Notices.Assigned, "{agent}", target.Name)
}

// Unassign puts a conversation back in the queue, keeping its team.
func (s *Store) Unassign(ctx context.Context, actor desk.Actor, id string) (desk.Conversation, error) {
	return s.run(ctx, actor, func(t *txn) (string, error) {
		c, d, err := t.decide(id, actor, desk.ActUnassign, desk.Target{})
		if err != nil {
			return "", err
		}
		prev := deref(c.AssigneeID)
		if _, err := t.compareAndSet(&c, d); err != nil {
			return "", err
		}
		ev := desk.Event{Type: desk.EventUnassigned, From: prev, To: deref(c.TeamID)}
		return c.ID, t.addEvent(&c, actor, ev, "Returned to the queue")
	})
}

// TransferInput is where a conversation goes and why. Exactly one of
// AgentID and TeamID; ReasonID is mandatory.
type TransferInput struct {
	AgentID  string
	TeamID   string
	ReasonID string
	Note     string
}

// Transfer hands a conversation to another agent (who must be online and a
// member of the bot) or queues it for a team, always with a reason.
func (s *Store) Transfer(ctx context.Context, actor desk.Actor, id string, in TransferInput) (desk.Conversation, error) {
	return s.run(ctx, actor, func(t *txn) (string, error) {
		return id, t.transfer(actor, id, in)
	})
}

func (t *txn) transfer(actor desk.Actor, id string, in TransferInput) error {
	if err := validateTransfer(in); err != nil {
		return err
	}
	a := desk.ActTransferAgent
	if in.TeamID != "" {
		a = desk.ActTransferTeam
	}
	c, d, err := t.decide(id, actor, a, desk.Target{AssigneeID: in.AgentID, TeamID: in.TeamID})
	if err != nil {
		return err
	}
	reason, err := getReason(t.ctx, t.tx, in.ReasonID)
	if err != nil || (reason.BotID != "" && reason.BotID != c.BotID) {
		return desk.Invalid("reason_id", "no such reason for this bot")
	}
	bot, err := t.botFor(c)
	if err != nil {
		return err
	}
	prev := deref(c.AssigneeID)
	ev := desk.Event{Type: desk.EventTransfer, From: prev, Reason: &desk.ReasonRef{ID: reason.ID, Name: reason.Name}, Note: in.Note}
	var notice, text string
	if a == desk.ActTransferAgent {
		target, err := t.loadUser(in.AgentID)
		if err != nil {
			return desk.Invalid("agent_id", "no such user")
		}
		if target.ID == prev {
			return desk.Invalid("agent_id", "the conversation is already assigned to %s", target.Name)
		}
		if err := desk.CheckAssignee(target, c.BotID, false); err != nil {
			return err
		}
		ev.To = target.ID
		notice, text = assignedNotice(bot, target), "Transferred to "+target.Name+": "+reason.Name
	} else {
		team, err := getTeam(t.ctx, t.tx, in.TeamID)
		if err != nil || team.BotID != c.BotID {
			return desk.Invalid("team_id", "no such team for this bot")
		}
		ev.To = team.ID
		notice, text = bot.Notices.Queued, "Transferred to team "+team.Name+": "+reason.Name
	}
	lockID, err := t.compareAndSet(&c, d)
	if err != nil {
		return err
	}
	if err := t.addEvent(&c, actor, ev, text); err != nil {
		return err
	}
	if err := t.notify(&c, bot, notice, lockID); err != nil {
		return err
	}
	if err := t.tellBot(&c, bot, botapi.EventTransferred, lockID); err != nil {
		return err
	}
	return t.endIdleLock(&c, *lockID)
}

func validateTransfer(in TransferInput) error {
	return desk.CheckTransfer(in.ReasonID, in.AgentID, in.TeamID, in.Note)
}

// Resolve closes a conversation and tells the customer.
func (s *Store) Resolve(ctx context.Context, actor desk.Actor, id string) (desk.Conversation, error) {
	return s.run(ctx, actor, func(t *txn) (string, error) {
		return id, t.resolve(actor, id)
	})
}

func (t *txn) resolve(actor desk.Actor, id string) error {
	c, d, err := t.decide(id, actor, desk.ActResolve, desk.Target{})
	if err != nil {
		return err
	}
	bot, err := t.botFor(c)
	if err != nil {
		return err
	}
	assignee := c.AssigneeID
	if _, err := t.compareAndSet(&c, d); err != nil {
		return err
	}
	ev := desk.Event{Type: desk.EventResolved, From: deref(c.AssigneeID)}
	if err := t.addEvent(&c, actor, ev, "Resolved"); err != nil {
		return err
	}
	if err := t.notify(&c, bot, bot.Notices.Resolved, nil); err != nil {
		return err
	}
	if err := t.askCSAT(&c, bot, actor, assignee); err != nil {
		return err
	}
	return t.tellBot(&c, bot, botapi.EventResolved, nil)
}

// checkTeam verifies a team exists and belongs to bot.
func (t *txn) checkTeam(teamID, botID string) error {
	team, err := getTeam(t.ctx, t.tx, teamID)
	if err != nil || team.BotID != botID {
		return desk.Invalid("team_id", "no such team for this bot")
	}
	return nil
}
