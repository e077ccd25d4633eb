package store

import (
	"context"
	"fmt"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// Automatic assignment by capacity. The drainer (jobs.Assigner) lists the
// automatic queues with someone waiting (AutoQueues) and calls AssignNext
// on each until it answers false. Each call is one transaction that:
//
//  1. row-locks the queue's online agents, in id order (FOR UPDATE on
//     PostgreSQL; SQLite's single writer serialises anyway);
//  2. only then reads the queue's longest-waiting conversations and the
//     agents' open conversations, so it sees every automatic assignment
//     committed before it got the locks, and none can be in flight: each
//     holds the locks of its agent until it commits;
//  3. for each conversation, oldest first, asks desk.PickAgent and assigns
//     through the one assign path (t.assign: compare-and-set on the
//     conversation's version, timeline event, customer notice, processing
//     lock, bot event, frames), counting it against the agent at once.
//
// So across nodes an agent's capacity is never exceeded (two drainers
// that could give to the same agent hold its row lock one after the
// other, and the second counts the first's assignment), and no
// conversation gets two owners (the compare-and-set: a hand assign or
// another drainer that wins first makes this one's update match no row).
// A per-agent row lock rather than an advisory lock per queue, because
// an agent may belong to several queues (two teams, and the bot's): a
// queue lock would let two queues fill the same agent at once.

// Queue is one automatic queue: a team's conversations, or a bot's
// conversations without a team (TeamID "").
type Queue struct {
	BotID  string
	TeamID string
}

// capacityChanged announces after commit that a bot's automatic queues
// may be served now ("" for every bot), once per transaction and bot (a
// team of fifty members joined at once wakes the drainer once).
func (t *txn) capacityChanged(botID string) {
	for _, c := range t.changes {
		if c.Type == desk.ChangeCapacity && c.BotID == botID {
			return
		}
	}
	t.changes = append(t.changes, desk.Change{Type: desk.ChangeCapacity, BotID: botID})
}

// AutoQueues lists the automatic queues that have conversations waiting.
func (s *Store) AutoQueues(ctx context.Context) ([]Queue, error) {
	return queryList(ctx, s.r, "auto queues", `SELECT DISTINCT c.bot_id, COALESCE(c.team_id, '') FROM conversations c
		JOIN bots b ON b.id = c.bot_id LEFT JOIN teams tm ON tm.id = c.team_id
		WHERE c.phase = 'waiting' AND ((c.team_id IS NULL AND b.assignment = 'automatic')
			OR (tm.assignment = 'automatic' AND tm.deleted_at IS NULL))
		ORDER BY 1, 2`, nil, func(sc scanner) (q Queue, err error) {
		return q, sc.Scan(&q.BotID, &q.TeamID)
	})
}

// waitingScan is how many conversations beyond a batch AssignNext looks
// at: only a conversation re-offered away from the one agent with room is
// skipped, so a handful is plenty.
const waitingScan = 8

// AssignBatch is how many assignments one AssignNext makes at most: each
// is a whole assign of its own (compare-and-set, event, notice, lock), and
// sharing the transaction shares the commit, which is most of an assign's
// cost on SQLite (docs/PERFORMANCE.md). Small enough that the agents'
// row locks are held for milliseconds on PostgreSQL.
const AssignBatch = 32

// AssignNext gives q's longest-waiting conversations, oldest first, to the
// agents desk.PickAgent chooses, up to AssignBatch of them in one
// transaction. It returns how many it gave: 0 when the queue is empty, no
// longer automatic, or nobody has room.
func (s *Store) AssignNext(ctx context.Context, q Queue) (int, error) {
	var assigned int
	err := s.tx(ctx, func(t *txn) error {
		assigned = 0
		cands, err := t.lockCandidates(q)
		if err != nil || len(cands) == 0 {
			return err
		}
		waiting, err := t.oldestWaiting(q, AssignBatch+waitingScan)
		if err != nil {
			return err
		}
		for _, w := range waiting {
			if assigned == AssignBatch {
				break
			}
			agentID, ok := desk.PickAgent(cands, w.reofferedFrom)
			if !ok {
				continue
			}
			c, pre, err := t.conversationAndAssignee(w.id, agentID)
			if err != nil {
				return err
			}
			if err := t.assign(&c, desk.SystemActor, agentID, pre); err != nil {
				return err
			}
			if err := t.startReoffer(c, q); err != nil {
				return err
			}
			assigned++
			for i := range cands {
				if cands[i].ID == agentID {
					// The batch shares one now: a nanosecond per assignment
					// keeps the tie-break in the order they were made.
					cands[i].Open++
					cands[i].LastAssignedAt = t.now.Add(time.Duration(assigned))
				}
			}
		}
		return nil
	})
	return assigned, err
}

// lockCandidates row-locks the queue's online agents in id order and
// then counts what each holds (see the top of the file for why in this
// order). It returns none when the queue is not automatic any more.
func (t *txn) lockCandidates(q Queue) ([]desk.Candidate, error) {
	members := `SELECT u.id, u.role, u.status, u.max_chats, COALESCE(u.last_assigned_at, 0) FROM users u
		JOIN team_members m ON m.user_id = u.id JOIN teams tm ON tm.id = m.team_id
		WHERE m.team_id = $1 AND tm.assignment = 'automatic' AND tm.deleted_at IS NULL`
	key := q.TeamID
	if q.TeamID == "" {
		members = `SELECT u.id, u.role, u.status, u.max_chats, COALESCE(u.last_assigned_at, 0) FROM users u
			JOIN bot_members m ON m.user_id = u.id JOIN bots b ON b.id = m.bot_id
			WHERE m.bot_id = $1 AND b.assignment = 'automatic'`
		key = q.BotID
	}
	lock := ""
	if t.s.d.name() == "postgres" {
		lock = " FOR UPDATE OF u"
	}
	cands, err := queryList(t.ctx, t.tx, "auto candidates", members+` AND u.deleted_at IS NULL AND u.role = 'agent'
		AND u.status = 'online' ORDER BY u.id`+lock, []any{key}, func(sc scanner) (c desk.Candidate, err error) {
		var last int64
		err = sc.Scan(&c.ID, &c.Role, &c.Status, &c.MaxChats, &last)
		if last > 0 {
			c.LastAssignedAt = fromMS(last)
		}
		return c, err
	})
	if err != nil || len(cands) == 0 {
		return nil, err
	}
	ids := make([]string, len(cands))
	for i, c := range cands {
		ids[i] = c.ID
	}
	w := &where{}
	rows, err := t.query(`SELECT assignee_id, COUNT(*) FROM conversations WHERE phase = 'human'
		AND assignee_id IN (`+w.in(ids)+`) GROUP BY assignee_id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: open conversations: %w", err)
	}
	defer rows.Close()
	open := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		open[id] = n
	}
	for i := range cands {
		cands[i].Open = open[cands[i].ID]
	}
	return cands, rows.Err()
}

type waitingRow struct {
	id            string
	reofferedFrom string
}

// oldestWaiting reads the queue's longest-waiting conversations.
func (t *txn) oldestWaiting(q Queue, limit int) ([]waitingRow, error) {
	team, args := `c.team_id IS NULL`, []any{q.BotID}
	if q.TeamID != "" {
		team, args = `c.team_id = $2`, append(args, q.TeamID)
	}
	return queryList(t.ctx, t.tx, "oldest waiting", `SELECT c.id, COALESCE(c.reoffered_from, '') FROM conversations c
		WHERE c.phase = 'waiting' AND c.bot_id = $1 AND `+team+`
		ORDER BY c.waiting_since, c.id LIMIT `+fmt.Sprint(limit), args, func(sc scanner) (w waitingRow, err error) {
		return w, sc.Scan(&w.id, &w.reofferedFrom)
	})
}

// startReoffer sets the re-offer deadline of a conversation the automatic
// assignment just gave, when its team asks for one.
func (t *txn) startReoffer(c desk.Conversation, q Queue) error {
	var after int64
	if q.TeamID != "" {
		if err := t.queryRow(`SELECT reoffer_after FROM teams WHERE id = $1`, q.TeamID).Scan(&after); err != nil {
			return fmt.Errorf("store: reoffer: %w", err)
		}
	}
	var at *int64
	if after > 0 {
		v := ms(t.now) + after
		at = &v
	}
	if at == nil {
		return nil
	}
	_, err := t.exec(`UPDATE conversations SET reoffer_at = $2 WHERE id = $1`, c.ID, *at)
	return err
}

// answered ends the re-offer deadline: the agent has written.
func (t *txn) answered(c desk.Conversation) error {
	_, err := t.exec(`UPDATE conversations SET reoffer_at = NULL WHERE id = $1 AND reoffer_at IS NOT NULL`, c.ID)
	return err
}

// SweepReoffers puts back in the queue every conversation whose agent has
// not written by its re-offer deadline, as an unassign by the system; the
// agent is remembered so the drainer offers it to someone else. A
// set-based conditional update like the other sweeps: every node may run
// it, each row is handled once.
func (s *Store) SweepReoffers(ctx context.Context) (int, error) {
	var n int
	err := s.tx(ctx, func(t *txn) error {
		rows, err := t.query(`UPDATE conversations SET reoffer_at = NULL
			WHERE reoffer_at <= $1 AND phase = 'human' RETURNING id`, ms(t.now))
		if err != nil {
			return fmt.Errorf("store: reoffer sweep: %w", err)
		}
		ids, err := collectIDs(rows)
		if err != nil {
			return err
		}
		for _, id := range ids {
			c, d, err := t.decide(id, desk.SystemActor, desk.ActUnassign, desk.Target{})
			if err != nil {
				return err
			}
			prev := deref(c.AssigneeID)
			if _, err := t.compareAndSet(&c, d); err != nil {
				return err
			}
			if _, err := t.exec(`UPDATE conversations SET reoffered_from = $2 WHERE id = $1`, c.ID, prev); err != nil {
				return fmt.Errorf("store: reoffer sweep: %w", err)
			}
			ev := desk.Event{Type: desk.EventUnassigned, From: prev, To: deref(c.TeamID), Note: "reoffered"}
			if err := t.addEvent(&c, desk.SystemActor, ev, "No answer in time: offered to someone else"); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}
