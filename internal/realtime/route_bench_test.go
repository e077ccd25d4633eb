package realtime

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// BenchmarkRouteMessageTo500Sockets is the hub's hot path for one customer
// message in a waiting conversation with 500 agents connected: read the
// conversation and the message from a real SQLite store, encode the frame
// once, check each socket's scope and queue the frame. The sockets are in
// memory (no connection); each iteration also empties their queues.
//
//	go test ./internal/realtime -run '^$' -bench Route -benchmem
func BenchmarkRouteMessageTo500Sockets(b *testing.B) { benchRoute(b, 500, true) }

// BenchmarkRouteMessageTo500SocketsOfAnotherBot is the same with agents of
// another bot: the reads, the encoding and the scope checks, no queueing.
func BenchmarkRouteMessageTo500SocketsOfAnotherBot(b *testing.B) { benchRoute(b, 500, false) }

func benchRoute(b *testing.B, n int, members bool) {
	ctx := context.Background()
	s := storetest.Open(b, "sqlite", nil).Store
	h := New(Options{Store: s, Registry: prometheus.NewRegistry(), Log: slog.New(slog.DiscardHandler)})
	sd := storetest.NewSeed(b, s)
	bot := sd.Bot(desk.Bot{Name: "Support"})
	other := sd.Bot(desk.Bot{Name: "Sales"})
	ch := sd.APIChannel(bot, "api")
	// A bot without a flow: the conversation waits in the queue.
	res := sd.Inbound(ch.ID, store.InboundContact{ExternalID: "dana", Name: "Dana"},
		store.InboundMessage{ExternalID: "m1", Text: "Hello, my order has not arrived yet. Can someone check?"})
	m := storetest.Must[desk.Message](b)(s.GetMessage(ctx, res.MessageID))
	of := bot.ID
	if !members {
		of = other.ID
	}
	socks := make([]*socket, n)
	for i := range socks {
		u := sd.User(desk.User{Name: fmt.Sprintf("Agent %d", i), Email: fmt.Sprintf("a%d@x.io", i),
			Role: desk.RoleAgent, BotIDs: []string{of}}, "x")
		socks[i] = newSocket(h, nil, desk.UserActor(u))
		if !h.add(socks[i]) {
			b.Fatal("hub closed")
		}
	}
	b.Cleanup(func() {
		for _, sk := range socks {
			h.remove(sk)
		}
		h.Close()
	})
	c := desk.Change{Type: desk.ChangeMessageCreated, ConversationID: res.ConversationID, MessageID: m.ID, BotID: bot.ID, Seq: m.Seq}
	frames := 0
	spare := make([][][]byte, n) // as each socket's writer reuses its slices
	b.ReportAllocs()
	for b.Loop() {
		h.OnChange(c)
		for i, sk := range socks {
			spare[i] = sk.take(spare[i])
			frames += len(spare[i])
			clear(spare[i])
		}
	}
	b.ReportMetric(float64(frames)/float64(b.N), "frames/op")
}
