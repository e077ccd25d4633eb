package realtime_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/nats-io/nats-server/v2/server"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// cluster is two Relevo nodes sharing one PostgreSQL schema and an
// external NATS server listening on 127.0.0.1, as in production.
type cluster struct {
	cfg  app.Config
	a, b *node
}

func newCluster(t *testing.T) *cluster { t.Helper(); return newClusterWith(t, app.Options{}) }

// newClusterWith is newCluster with both nodes started with opt.
func newClusterWith(t *testing.T, opt app.Options) *cluster {
	t.Helper()
	if os.Getenv("RELEVO_TEST_DATABASE_URL") == "" {
		t.Skip("RELEVO_TEST_DATABASE_URL not set: the multi-node proof needs PostgreSQL")
	}
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("NATS did not start")
	}
	// A fresh schema (storetest drops it after the test); the nodes open it.
	db := storetest.Open(t, "postgres", nil)
	c := &cluster{cfg: app.Config{DatabaseURL: db.URL, NATSURL: ns.ClientURL()}}
	c.a = startNode(t, c.cfg, opt)
	c.b = startNode(t, c.cfg, opt)
	return c
}

func TestMessageAcceptedOnOneNodeReachesAnAgentOnTheOther(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	cl := newCluster(t)
	f := newFloor(t, ctx, cl.a.Store)
	carl := connect(t, ctx, cl.b.URL(), f.carl) // Sales agent, on node B

	// The customer writes through node A's API (a bot token of Sales).
	api := &rtclient.Client{Base: cl.a.URL(), HTTP: &http.Client{Transport: bearer(botToken(t, ctx, cl.a.Store, f.other.ID))}}
	var res struct {
		ConversationID string `json:"conversation_id"`
	}
	body := map[string]any{"contact": map[string]string{"external_id": "w1", "name": "Walt"}, "message": map[string]string{"id": "w1-1", "text": "hello from A"}}
	if err := api.Do(ctx, "POST", "/api/v1/channels/"+f.otherCh.ID+"/inbound", body, &res); err != nil {
		t.Fatal(err)
	}
	isText := func(text string) func(realtime.Frame) bool {
		return func(fr realtime.Frame) bool {
			return fr.Type == realtime.FrameMessageCreated && fr.ConversationID == res.ConversationID && decode[desk.Message](t, fr).Text == text
		}
	}
	await(t, ctx, carl, "the message accepted on A", isText("hello from A"))

	// He takes it on B; the customer's next message, accepted on A, is his.
	post(t, ctx, carl, "/api/v1/conversations/"+res.ConversationID+"/assign", nil)
	body["message"] = map[string]string{"id": "w1-2", "text": "thanks"}
	if err := api.Do(ctx, "POST", "/api/v1/channels/"+f.otherCh.ID+"/inbound", body, nil); err != nil {
		t.Fatal(err)
	}
	await(t, ctx, carl, "the second message", isText("thanks"))
}

func TestLogoutClosesTheAgentsSocketsOnEveryNode(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	cl := newCluster(t)
	f := newFloor(t, ctx, cl.a.Store)
	onA := connect(t, ctx, cl.a.URL(), f.ana)
	onB := connect(t, ctx, cl.b.URL(), f.ana)
	sue := connect(t, ctx, cl.a.URL(), f.sue)
	post(t, ctx, sue, "/api/v1/agents/"+f.ana.ID+"/logout", nil)
	for _, c := range []*rtclient.Client{onA, onB} {
		if code := closeCode(t, ctx, c); code != websocket.StatusPolicyViolation {
			t.Fatalf("socket of a logged-out user ended with %v, want 1008", code)
		}
	}
}

func TestTwentyAgentsOnTwoNodesRaceForTheSameQueue(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	cl := newCluster(t)
	f := newFloor(t, ctx, cl.a.Store)
	s := cl.a.Store
	const conversations, agents = 200, 20
	ids := make([]string, conversations)
	for i := range ids {
		who := fmt.Sprintf("q%d", i)
		ids[i] = inbound(t, ctx, s, f.otherCh.ID, who, who, "hi").ConversationID // Sales has no flow: queued
	}
	// A Sales supervisor on node B watches the floor.
	sam := newUser(t, ctx, s, "Sam", desk.RoleSupervisor, f.other.ID)
	watch := startPump(connect(t, ctx, cl.b.URL(), sam))
	clients := make([]*rtclient.Client, agents)
	for i := range clients {
		u := newUser(t, ctx, s, fmt.Sprintf("agent%02d", i), desk.RoleAgent, f.other.ID)
		online(t, ctx, s, u)
		base := cl.a.URL()
		if i%2 == 1 {
			base = cl.b.URL()
		}
		clients[i] = must(rtclient.Login(ctx, base, u.Email, password))(t)
		// Its own keep-alive connection: the shared default transport
		// keeps two idle connections per host, and 20 agents would
		// reconnect for most requests.
		tr := &http.Transport{}
		t.Cleanup(tr.CloseIdleConnections)
		clients[i].HTTP.Transport = tr
	}

	// Every agent tries every conversation, each in its own order.
	var mu sync.Mutex
	won := map[string][]string{} // conversation → winners
	lost := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, agents)
	for i, c := range clients {
		wg.Go(func() {
			order := rand.New(rand.NewPCG(uint64(i), 7)).Perm(conversations)
			for _, k := range order {
				err := c.Do(ctx, "POST", "/api/v1/conversations/"+ids[k]+"/assign", struct{}{}, nil)
				var ae *rtclient.APIError
				switch {
				case err == nil:
					mu.Lock()
					won[ids[k]] = append(won[ids[k]], c.User.ID)
					mu.Unlock()
				case errors.As(err, &ae) && ae.Status == http.StatusConflict && ae.Code == string(desk.CodeAlreadyAssigned):
					mu.Lock()
					lost[ids[k]]++
					mu.Unlock()
				default:
					errs <- fmt.Errorf("%s: assign: %w", c.User.Name, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, id := range ids {
		if len(won[id]) != 1 || lost[id] != agents-1 {
			t.Fatalf("conversation %s: %d winners %v, %d losers", id, len(won[id]), won[id], lost[id])
		}
		c := must(s.GetConversation(ctx, desk.SystemActor, id))(t)
		if c.Phase != desk.PhaseHuman || c.AssigneeID == nil || *c.AssigneeID != won[id][0] {
			t.Fatalf("conversation %s is %s/%v, winner %s", id, c.Phase, c.AssigneeID, won[id][0])
		}
	}
	// Every assignment, made on either node, reached the monitor on B.
	pending := map[string]bool{}
	for _, id := range ids {
		pending[id] = true
	}
	watch.await(t, ctx, "all 200 assignments", func(fr realtime.Frame) bool {
		if fr.Type == realtime.FrameConversationUpdated && decode[desk.Conversation](t, fr).Phase == desk.PhaseHuman {
			delete(pending, fr.ConversationID)
		}
		return len(pending) == 0
	})
}

func TestRestartedNodeLeavesItsClientsWithTheFullHistory(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	cl := newCluster(t)
	f := newFloor(t, ctx, cl.a.Store)
	s := cl.a.Store
	sam := newUser(t, ctx, s, "Sam", desk.RoleSupervisor, f.other.ID)
	var convs []string
	for i := range 5 {
		who := fmt.Sprintf("r%d", i)
		convs = append(convs, inbound(t, ctx, s, f.otherCh.ID, who, who+"-0", "hi").ConversationID)
		if i < 3 {
			must(s.Assign(ctx, desk.UserActor(f.carl), convs[i], store.AssignInput{}))(t)
		}
	}
	// Carl and Sam are on node B.
	clients := []*rtclient.Client{connect(t, ctx, cl.b.URL(), f.carl), connect(t, ctx, cl.b.URL(), sam)}
	pumps := []*pump{startPump(clients[0]), startPump(clients[1])}

	// Customers keep writing through node A the whole time.
	const total = 150
	sent := make(chan int, total)
	producer := make(chan error, 1)
	go func() {
		for i := range total {
			who := fmt.Sprintf("r%d", i%5)
			if _, err := s.Inbound(ctx, f.otherCh.ID, store.InboundContact{ExternalID: who},
				store.InboundMessage{ExternalID: fmt.Sprintf("%s-%d", who, i+1), Text: fmt.Sprint(i)}); err != nil {
				producer <- err
				return
			}
			sent <- i
		}
		producer <- nil
	}()
	for i := range 50 {
		if got := <-sent; got != i {
			t.Fatalf("sent %d", got)
		}
	}

	// Node B dies mid-stream: its sockets go away with 1001.
	cl.b.stop()
	for _, p := range pumps {
		<-p.done
		if code := websocket.CloseStatus(p.err); code != websocket.StatusGoingAway {
			t.Fatalf("%s: socket ended with %v (%v), want 1001", p.c.User.Name, code, p.err)
		}
	}
	// It comes back on another port; the clients reconnect to it.
	b2 := startNode(t, cl.cfg, app.Options{})
	for i, c := range clients {
		c.Base = b2.URL()
		if err := c.Connect(ctx); err != nil {
			t.Fatalf("%s: reconnect: %v", c.User.Name, err)
		}
		pumps[i] = startPump(c)
	}
	if err := <-producer; err != nil {
		t.Fatal(err)
	}
	for i, c := range clients {
		pumps[i].barrier(t, ctx, s, f.sue.ID)
		_, ids := catchUp(t, ctx, c)
		n := sameHistory(t, ctx, s, c, ids)
		if c.User.ID == sam.ID && (len(ids) != 5 || n < total) {
			t.Fatalf("Sam sees %d conversations, %d messages", len(ids), n)
		}
	}
}
