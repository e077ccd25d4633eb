package bench

// `relevo bench assign`: the assignment race. N agents, each with its
// console session and socket, all go for the oldest waiting conversation
// at once through POST /api/v1/conversations/{id}/assign, again and again
// until the queue is empty. The store's compare-and-set must give each
// conversation exactly one owner; the run counts owners from the store at
// the end and fails if any conversation has two.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"sync"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
)

type assignConfig struct {
	agents, conversations int
	databaseURL           string
	cpuprofile            string
}

// raceResult is what the agents saw.
type raceResult struct {
	won, lost []time.Duration // 200 and 409 already_assigned answers
	kinds     map[string]int  // other failures
	owners    map[string][]string
	wall      time.Duration
	frames    int // conversation.updated frames that told an agent a conversation was taken
	cpu       time.Duration
}

// runAssign is `relevo bench assign`. It has no -url: the owners are
// counted from the node's store.
func runAssign(ctx context.Context, args []string, out io.Writer) error {
	var c assignConfig
	fs := flag.NewFlagSet("relevo-bench assign", flag.ContinueOnError)
	fs.IntVar(&c.agents, "agents", 20, "agents racing, each with its own session and socket")
	fs.IntVar(&c.conversations, "conversations", 2000, "waiting conversations to give out")
	fs.StringVar(&c.databaseURL, "database-url", "", "run the node on PostgreSQL, in a fresh schema of this server (dropped after); empty: SQLite")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of the race to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.agents < 1 || c.agents > 2000 || c.conversations < 1 || c.conversations > 200_000 {
		return errors.New("-agents must be 1..2000, -conversations 1..200000")
	}
	fmt.Fprintf(out, "relevo-bench assign: %s\n", machine())
	raiseFileLimit(uint64(4*c.agents + 1000))
	n, err := newNode(ctx, app.Options{}, c.databaseURL)
	if err != nil {
		return err
	}
	defer n.close()
	emails, err := n.users(ctx, "agent", c.agents, desk.RoleAgent)
	if err != nil {
		return err
	}
	if _, err := n.waiting(ctx, c.conversations); err != nil {
		return err
	}
	if err := n.start(); err != nil {
		return err
	}
	agents, err := connectAll(ctx, n.url(), emails, 16, nil)
	if err != nil {
		return err
	}
	defer closeAll(agents)
	for _, a := range agents {
		if err := a.Do(ctx, "PUT", "/api/v1/me/status", statusBody{Status: desk.StatusOnline}, nil); err != nil {
			return fmt.Errorf("go online: %w", err)
		}
	}
	queue, err := waitingQueue(ctx, agents[0])
	if err != nil {
		return err
	}
	if len(queue) != c.conversations {
		return fmt.Errorf("the queue lists %d waiting conversations, want %d", len(queue), c.conversations)
	}
	r, err := race(ctx, agents, queue, c.cpuprofile)
	if err != nil {
		return err
	}
	doubles, unowned, err := countOwners(ctx, n.app.Store, queue, r.owners)
	if err != nil {
		return err
	}
	name := "SQLite"
	if c.databaseURL != "" {
		name = "PostgreSQL"
	}
	fmt.Fprintf(out, "\nrelevo (%s), assignment race: %d agents, %d waiting conversations, every agent taking the oldest it knows to be waiting\n",
		name, c.agents, c.conversations)
	printLatency(out, []row{
		{name: "assign → 200 (won)", d: r.won},
		{name: "assign → 409 already_assigned (lost)", d: r.lost},
		{name: "every assign answer", d: append(append([]time.Duration{}, r.won...), r.lost...)},
	})
	fmt.Fprintf(out, "assigns/s: %.0f (%d conversations given out in %v); conflicts (409): %d; taken seen on a socket first: %d\n",
		float64(len(r.won))/max(r.wall.Seconds(), 1e-9), len(r.won), r.wall.Round(time.Millisecond), len(r.lost), r.frames)
	printKinds(out, r.kinds)
	fmt.Fprintf(out, "owners counted from the store: conversations with two owners: %d; left without an owner: %d\n", doubles, unowned)
	if r.wall > 0 {
		fmt.Fprintf(out, "process CPU: %.2f of the machine's cores on average over the race (client and server together)\n", r.cpu.Seconds()/r.wall.Seconds())
	}
	if doubles > 0 {
		return fmt.Errorf("%d conversations got two owners: the assignment compare-and-set failed", doubles)
	}
	return nil
}

type statusBody struct {
	Status desk.UserStatus `json:"status"`
}

type convPage struct {
	Items      []desk.Conversation `json:"items"`
	NextCursor *string             `json:"next_cursor"`
}

// waitingQueue is the queue as the console lists it: waiting, the longest
// waiting first.
func waitingQueue(ctx context.Context, c *rtclient.Client) ([]string, error) {
	var ids []string
	cursor := ""
	for {
		q := url.Values{"phase": {"waiting"}, "sort": {"waiting"}, "limit": {"200"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var p convPage
		if err := c.Do(ctx, "GET", "/api/v1/conversations?"+q.Encode(), nil, &p); err != nil {
			return nil, fmt.Errorf("list the queue: %w", err)
		}
		for _, cv := range p.Items {
			ids = append(ids, cv.ID)
		}
		if p.NextCursor == nil || *p.NextCursor == "" || len(p.Items) == 0 {
			return ids, nil
		}
		cursor = *p.NextCursor
	}
}

// racer is one agent: what it knows is taken (its own answers and its
// socket's conversation.updated frames).
type racer struct {
	c     *rtclient.Client
	mu    sync.Mutex
	taken map[string]bool
}

func (a *racer) known(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.taken[id]
}

func (a *racer) mark(id string) {
	a.mu.Lock()
	a.taken[id] = true
	a.mu.Unlock()
}

var updatedPrefix = []byte(`{"type":"` + realtime.FrameConversationUpdated + `"`)

// listen marks what the socket says left the queue, until it closes.
func (a *racer) listen(seen func()) {
	for {
		b, err := a.c.ReadRaw(context.Background())
		if err != nil {
			return
		}
		if !bytes.HasPrefix(b, updatedPrefix) {
			continue
		}
		var f struct {
			ConversationID string `json:"conversation_id"`
			Data           struct {
				Phase desk.Phase `json:"phase"`
			} `json:"data"`
		}
		if json.Unmarshal(b, &f) == nil && f.Data.Phase != "" && f.Data.Phase != desk.PhaseWaiting && !a.known(f.ConversationID) {
			a.mark(f.ConversationID)
			seen()
		}
	}
}

// race lets every agent go at once and returns when the queue is empty.
func race(ctx context.Context, clients []*rtclient.Client, queue []string, cpuprofile string) (raceResult, error) {
	r := raceResult{kinds: map[string]int{}, owners: map[string][]string{}}
	var mu sync.Mutex
	racers := make([]*racer, len(clients))
	var listeners sync.WaitGroup
	for i, c := range clients {
		racers[i] = &racer{c: c, taken: map[string]bool{}}
		listeners.Add(1)
		go func() {
			defer listeners.Done()
			racers[i].listen(func() { mu.Lock(); r.frames++; mu.Unlock() })
		}()
	}
	stop, err := cpuProfile(cpuprofile)
	if err != nil {
		return r, err
	}
	prog := startProgressOf("assignment race", "conversations given out", len(queue), time.Now(), 0)
	go_ := make(chan struct{})
	var wg sync.WaitGroup
	for _, a := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-go_
			for k := 0; ctx.Err() == nil; k++ {
				for k < len(queue) && a.known(queue[k]) {
					k++
				}
				if k == len(queue) {
					return
				}
				id := queue[k]
				t0 := time.Now()
				err := a.c.Do(ctx, "POST", "/api/v1/conversations/"+id+"/assign", nil, nil)
				d := time.Since(t0)
				a.mark(id)
				var api *rtclient.APIError
				mu.Lock()
				switch {
				case err == nil:
					r.won = append(r.won, d)
					r.owners[id] = append(r.owners[id], a.c.User.ID)
					prog.accepted.Add(1)
				case errors.As(err, &api) && api.Code == string(desk.CodeAlreadyAssigned):
					r.lost = append(r.lost, d)
				default:
					r.kinds[failureKind(err)]++
					prog.failed.Add(1)
				}
				mu.Unlock()
			}
		}()
	}
	cpu0, t0 := procCPU(), time.Now()
	close(go_)
	wg.Wait()
	r.wall, r.cpu = time.Since(t0), procCPU()-cpu0
	prog.stop()
	stop()
	closeAll(clients)
	listeners.Wait()
	return r, ctx.Err()
}

// countOwners reads every conversation of the race back from the store:
// two owners is two 200 answers for it or two "assigned" events in its
// timeline; unowned is not in phase human with an assignee.
func countOwners(ctx context.Context, st *store.Store, queue []string, answers map[string][]string) (doubles, unowned int, err error) {
	for _, id := range queue {
		cv, err := st.GetConversation(ctx, desk.SystemActor, id)
		if err != nil {
			return 0, 0, err
		}
		if cv.Phase != desk.PhaseHuman || cv.AssigneeID == nil {
			unowned++
		}
		ms, err := st.ListMessages(ctx, desk.SystemActor, id, store.MessagePage{Limit: 200})
		if err != nil {
			return 0, 0, err
		}
		events := 0
		for _, m := range ms {
			if m.Kind == desk.KindEvent && m.Event != nil && m.Event.Type == desk.EventAssigned {
				events++
			}
		}
		if events > 1 || len(answers[id]) > 1 {
			doubles++
		}
	}
	return doubles, unowned, nil
}
