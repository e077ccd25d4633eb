package realtime_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Issue 14's proof of the automatic assignment across nodes: two nodes on
// one PostgreSQL and one NATS, 20 agents who may hold 3 each, 500
// customers arriving at once on both nodes. Whatever the interleaving of
// the two drainers, no agent ever holds more than 3 and no conversation
// is assigned twice; 60 are served at first, and the queue drains as the
// agents resolve, until all 500 are served.
func TestAutoAssignOnTwoNodesNeverExceedsCapacity(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	cl := newCluster(t)
	const agents, maxChats, customers = 20, 3, 500
	sd := storetest.Seed{T: t, S: cl.a.Store, Ctx: ctx}
	bot := sd.Bot(desk.Bot{Name: "Auto"}) // no flow: new conversations go straight to the queue
	auto := desk.AssignAutomatic
	must(cl.a.Store.UpdateBot(ctx, bot.ID, store.BotPatch{Assignment: &auto}))(t)
	ch := sd.APIChannel(bot, "api")
	people := make([]desk.User, agents)
	for i := range people {
		people[i] = sd.User(desk.User{Name: fmt.Sprintf("Agent %02d", i), Email: fmt.Sprintf("a%02d@auto.io", i),
			Role: desk.RoleAgent, MaxChats: maxChats, BotIDs: []string{bot.ID}}, "x")
	}
	sd.Online(people...)
	db := must(sql.Open("pgx", cl.cfg.DatabaseURL))(t)
	t.Cleanup(func() { _ = db.Close() })

	// The watcher checks the invariants on every read until the end.
	var violations atomic.Int64
	var firstViolation sync.Once
	check := func() (human, closed int) {
		over, twice := invariants(t, ctx, db, maxChats)
		if over+twice > 0 {
			violations.Add(1)
			firstViolation.Do(func() { t.Errorf("%d agents over capacity, %d conversations assigned twice", over, twice) })
		}
		noErr(t, db.QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE phase = 'human'),
			COUNT(*) FILTER (WHERE phase = 'closed') FROM conversations WHERE bot_id = $1`, bot.ID).Scan(&human, &closed))
		return human, closed
	}
	watchCtx, stopWatch := context.WithCancel(ctx)
	var watch sync.WaitGroup
	watch.Go(func() {
		// A read every 10 ms: continuous reads would take the CPU the
		// nodes need (the machine has 2 cores).
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for watchCtx.Err() == nil {
			check()
			select {
			case <-watchCtx.Done():
			case <-tick.C:
			}
		}
	})

	// 500 customers at once, half on each node.
	var arrive sync.WaitGroup
	for g := range 10 {
		s := cl.a.Store
		if g%2 == 1 {
			s = cl.b.Store
		}
		arrive.Go(func() {
			for i := g; i < customers; i += 10 {
				who := fmt.Sprintf("c%03d", i)
				inbound(t, ctx, s, ch.ID, who, who, "hello")
			}
		})
	}
	arrive.Wait()
	waitFor(t, ctx, "60 served at first", func() bool { h, _ := check(); return h == agents*maxChats })

	// Agents resolve what they hold, on both nodes; the drainers refill.
	for round := 0; ; round++ {
		h, closed := check()
		if closed == customers {
			break
		}
		held := heldConversations(t, ctx, db, bot.ID)
		var resolve sync.WaitGroup
		for i, u := range people {
			s := cl.a.Store
			if i%2 == 1 {
				s = cl.b.Store
			}
			resolve.Go(func() {
				for _, id := range held[u.ID] {
					resolveWhenUnlocked(t, ctx, s, db, u, id)
				}
			})
		}
		resolve.Wait()
		want := min(agents*maxChats, customers-closed-h)
		waitFor(t, ctx, fmt.Sprintf("round %d: the queue refills the agents", round), func() bool {
			h, c := check()
			return h == want || c == customers
		})
	}
	stopWatch()
	watch.Wait()
	if n := violations.Load(); n > 0 {
		t.Fatalf("%d reads saw an invariant broken", n)
	}
	if _, twice := invariants(t, ctx, db, maxChats); twice != 0 {
		t.Fatalf("%d conversations assigned twice", twice)
	}
}

// invariants counts agents holding more than max open conversations and
// conversations with more than one assignment event.
func invariants(t *testing.T, ctx context.Context, db *sql.DB, max int) (over, twice int) {
	t.Helper()
	noErr(t, db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT assignee_id FROM conversations WHERE phase = 'human'
		GROUP BY assignee_id HAVING COUNT(*) > $1) o`, max).Scan(&over))
	noErr(t, db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT conversation_id FROM messages WHERE event_type = 'assigned'
		GROUP BY conversation_id HAVING COUNT(*) > 1) d`).Scan(&twice))
	return over, twice
}

// heldConversations maps each agent to the open conversations they hold.
func heldConversations(t *testing.T, ctx context.Context, db *sql.DB, botID string) map[string][]string {
	t.Helper()
	rows := must(db.QueryContext(ctx, `SELECT assignee_id, id FROM conversations WHERE bot_id = $1 AND phase = 'human'`, botID))(t)
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var who, id string
		noErr(t, rows.Scan(&who, &id))
		out[who] = append(out[who], id)
	}
	return out
}

// resolveWhenUnlocked resolves id as u once the assignment's processing
// lock has ended (the outbox delivers the notice within moments).
func resolveWhenUnlocked(t *testing.T, ctx context.Context, s *store.Store, db *sql.DB, u desk.User, id string) {
	fresh := must(s.GetUser(ctx, u.ID))(t)
	for {
		_, err := s.Resolve(ctx, desk.UserActor(fresh), id)
		if err == nil {
			return
		}
		if !desk.IsCode(err, desk.CodeConversationLocked) {
			t.Errorf("resolve %s: %v", id, err)
			return
		}
		waitFor(t, ctx, "the processing lock to end", func() bool {
			var locked sql.NullInt64
			noErr(t, db.QueryRowContext(ctx, `SELECT locked_until FROM conversations WHERE id = $1`, id).Scan(&locked))
			return !locked.Valid
		})
	}
}

// waitFor polls cond until it holds, failing the test when ctx ends.
func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
