package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// BenchmarkAutoAssignDrain times the drainer (issue 14's speed target:
// with 200 agents and 5,000 waiting conversations, ≥ 500 assigns a second
// on SQLite). b.N conversations wait in one automatic queue, 200 online
// agents have room for all of them, and one drain gives them out; the
// rate is reported as assigns/s (docs/PERFORMANCE.md):
//
//	go test ./internal/store -run '^$' -bench AutoAssignDrain -benchtime 5000x
func BenchmarkAutoAssignDrain(b *testing.B) {
	const agents = 200
	if b.N > agents*100 {
		b.Skip("max_chats is at most 100: run with -benchtime up to 20000x")
	}
	db := storetest.Open(b, "sqlite", nil)
	s, ctx := db.Store, context.Background()
	sd := storetest.NewSeed(b, s)
	bot := sd.Bot(desk.Bot{Name: "Auto"}) // no flow: new conversations wait for people
	ch := sd.APIChannel(bot, "api")
	room := (b.N + agents - 1) / agents
	hash := sd.Hash("x")
	people := make([]desk.User, agents)
	for i := range people {
		people[i] = sd.User(desk.User{Name: fmt.Sprintf("Agent %03d", i), Email: fmt.Sprintf("a%03d@bench.io", i),
			Role: desk.RoleAgent, MaxChats: room, BotIDs: []string{bot.ID}}, hash)
	}
	sd.Online(people...)
	// The customers arrive before the queue turns automatic, so the drain
	// below is timed alone.
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := g; i < b.N; i += 8 {
				who := fmt.Sprintf("c%05d", i)
				if _, err := s.Inbound(ctx, ch.ID, store.InboundContact{ExternalID: who, Name: who},
					store.InboundMessage{ExternalID: who, Text: "hello"}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	auto := desk.AssignAutomatic
	if _, err := s.UpdateBot(ctx, bot.ID, store.BotPatch{Assignment: &auto}); err != nil {
		b.Fatal(err)
	}
	drainer := &jobs.Assigner{Store: s}
	b.ResetTimer()
	start := time.Now()
	n, err := drainer.Drain(ctx)
	elapsed := time.Since(start)
	b.StopTimer()
	if err != nil || n != b.N {
		b.Fatalf("drained %d of %d: %v", n, b.N, err)
	}
	b.ReportMetric(float64(n)/elapsed.Seconds(), "assigns/s")
}
