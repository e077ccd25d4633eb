package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// loadForChange reads a conversation inside t and checks the actor may do
// a in its current state (desk.Decide: scope, role, phase and processing
// lock). It is for actions that change no placement: send, note, tag.
func (t *txn) loadForChange(id string, actor desk.Actor, a desk.Action) (desk.Conversation, error) {
	c, _, err := t.decide(id, actor, a, desk.Target{})
	return c, err
}

// decide reads a conversation inside t and asks desk.Decide what a does to
// it; the caller persists the decision with compareAndSet.
func (t *txn) decide(id string, actor desk.Actor, a desk.Action, to desk.Target) (desk.Conversation, desk.Decision, error) {
	c, err := t.s.getConversation(t.ctx, t.tx, id, "")
	if err != nil {
		return c, desk.Decision{}, err
	}
	d, err := desk.Decide(a, c, actor, t.now, to)
	return c, d, err
}

// compareAndSet persists d if the conversation is still at the version c
// was read at. Two agents, two nodes, one winner: the loser is told why.
// It adds only what the domain cannot decide: the protocol number (a
// global counter) and the lock's id and deadline. It returns the lock id
// when d starts a lock, so the queued work can be tied to it.
func (t *txn) compareAndSet(c *desk.Conversation, d desk.Decision) (*string, error) {
	protocol := c.Protocol
	if d.NeedsProtocol {
		p, err := t.newProtocol()
		if err != nil {
			return nil, err
		}
		protocol = p
	}
	// lockSet says the lock columns change to lockedUntil and lockID;
	// otherwise the current lock, if any, is left alone.
	var lockSet bool
	var lockedUntil *time.Time
	var lockID *string
	if d.StartsLock {
		// The id ties outbox work to the lock, and the deadline bounds it
		// whatever happens to that work.
		id, until := t.s.ids.New(), t.now.Add(t.s.lockMax)
		lockSet, lockID, lockedUntil = true, &id, &until
	}
	if d.ClearsLock {
		lockSet = true
	}
	// Every placement change ends a re-offer deadline and forgets whom it
	// was re-offered from (autoassign.go): the automatic assignment and the
	// re-offer sweep set them again after it.
	// RETURNING seq: the row is now locked, so the seqs of the changes
	// that follow are counted in the txn (pending.go).
	var seq int64
	err := t.queryRow(`UPDATE conversations SET phase = $1, assignee_id = $2, team_id = $3, protocol = $4,
		waiting_since = $5,
		locked_until = CASE WHEN $13 = 1 THEN $6 ELSE locked_until END,
		lock_id = CASE WHEN $13 = 1 THEN $7 ELSE lock_id END,
		closed_reason = $8, closed_at = $9,
		auto_close_at = CASE WHEN $1 = 'closed' THEN NULL ELSE auto_close_at END,
		reoffer_at = NULL, reoffered_from = NULL,
		version = version + 1, updated_at = $10, out_of_hours = $14
		WHERE id = $11 AND version = $12 RETURNING seq`,
		string(d.Phase), d.AssigneeID, d.TeamID, protocol, msPtr(d.WaitingSince), msPtr(lockedUntil), lockID,
		d.ClosedReason, msPtr(d.ClosedAt), ms(t.now), c.ID, c.Version, boolInt(lockSet), boolInt(c.OutOfHours)).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, t.lostRace(c.ID, d.Action)
	}
	if err != nil {
		return nil, fmt.Errorf("store: update conversation: %w", err)
	}
	t.knowSeq(c.ID, seq)
	c.Version++
	prev := placementOf(*c)
	c.Phase, c.AssigneeID, c.TeamID, c.Protocol = d.Phase, d.AssigneeID, d.TeamID, protocol
	c.WaitingSince, c.ClosedReason, c.ClosedAt = d.WaitingSince, d.ClosedReason, d.ClosedAt
	if lockSet {
		c.LockedUntil = lockedUntil
	}
	if err := t.moved(c, prev); err != nil {
		return nil, err
	}
	if d.Phase == desk.PhaseClosed {
		return lockID, t.closed(c.ID)
	}
	return lockID, nil
}

// closed does what follows a conversation closing, whichever way it closed
// (resolve, block, the auto-close sweep): its calls end, and its read marks
// leave the open lists' index (migration 0024; a deferred write, so it
// costs no round trip). Closed is final: nothing undoes either.
func (t *txn) closed(convID string) error {
	t.later("reads closed", `UPDATE reads SET closed = 1 WHERE conversation_id = $1`, convID)
	return t.endConversationCalls(convID)
}

// moved announces a conversation's new state; the Move lets live counters
// follow without counting rows.
//
// This change takes a seq of its own. So do message.updated (delivery
// statuses) and lock ends. The gapless sequence is the conversation's
// events feed (Events); the messages of a timeline carry an increasing
// subsequence of it, with holes where such changes happened. Real-time
// clients detect gaps over all frames, not over messages alone.
func (t *txn) moved(c *desk.Conversation, prev desk.Placement) error {
	if _, err := t.appendEvent(c, desk.ChangeConversation, ""); err != nil {
		return err
	}
	t.changes[len(t.changes)-1].Move = &desk.Move{Prev: prev, Next: placementOf(*c)}
	return nil
}

func placementOf(c desk.Conversation) desk.Placement {
	return desk.Placement{Phase: c.Phase, AssigneeID: deref(c.AssigneeID), TeamID: deref(c.TeamID)}
}

// lostRace explains a failed compare-and-set from the state that won.
func (t *txn) lostRace(id string, a desk.Action) error {
	var phase string
	err := t.queryRow(`SELECT phase FROM conversations WHERE id = $1`, id).Scan(&phase)
	if errors.Is(err, sql.ErrNoRows) {
		return desk.NotFound("conversation")
	}
	if err != nil {
		return fmt.Errorf("store: reread conversation: %w", err)
	}
	if _, terr := desk.Transition(a, desk.Phase(phase)); terr != nil {
		return terr
	}
	return desk.Errorf(desk.CodeConflict, "the conversation changed meanwhile; reload and try again")
}

// newProtocol gives the next protocol number: the day it was given and a
// global counter, so it is unique forever and readable over the phone.
func (t *txn) newProtocol() (*string, error) {
	var n int64
	if err := t.queryRow(`UPDATE counters SET value = value + 1 WHERE name = 'protocol' RETURNING value`).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: protocol: %w", err)
	}
	p := fmt.Sprintf("%s%06d", t.now.Format("20060102"), n)
	return &p, nil
}

// run executes one lifecycle action in a transaction and returns the
// conversation as viewer sees it once committed: read as the request's
// last statement (attachPayloads), not after the commit, a round trip less.
func (s *Store) run(ctx context.Context, actor desk.Actor, fn func(t *txn) (string, error)) (desk.Conversation, error) {
	v := &viewRequest{viewer: viewerOf(actor)}
	err := s.tx(ctx, func(t *txn) error {
		var err error
		v.id, err = fn(t)
		t.view = v
		return err
	})
	if err != nil {
		return desk.Conversation{}, err
	}
	return v.got, nil
}

func viewerOf(a desk.Actor) string {
	if a.User != nil {
		return a.User.ID
	}
	return ""
}

// loadBot gives the bot of a conversation without its members (MemberIDs
// nil): actions need its settings only. From the settings cache, as
// inbound reads it (cache.go): a bot's settings change rarely, and a change
// drops the cache before it is answered. The value is shared: callers
// replace fields, never modify them in place.
func (t *txn) loadBot(id string) (desk.Bot, error) {
	return t.s.cachedBotSettings(t.ctx, id)
}

// loadUser reads a live user (name, membership and status) inside the
// transaction, so an agent going offline cannot slip between the check and
// the assignment.
func (t *txn) loadUser(id string) (desk.User, error) {
	return getUser(t.ctx, t.tx, id)
}
