package realtime_test

import (
	"context"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

func TestAgentSeesNewHandoverLive(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a, err := app.New(ctx, app.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), LockMax: 30 * time.Second, FastHashing: true}, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	s := a.Store
	sd := storetest.Seed{T: t, S: s, Ctx: ctx}
	bot := sd.Bot(desk.Bot{Name: "B"})
	ch := sd.APIChannel(bot, "api")
	sd.User(desk.User{Name: "Ana", Email: "ana@x.io", Role: desk.RoleAgent, BotIDs: []string{bot.ID}}, sd.Hash("password1"))
	c, err := rtclient.Login(ctx, a.URL(), "ana@x.io", "password1")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if f, err := c.Next(ctx); err != nil || f.Type != realtime.FrameHello {
		t.Fatalf("first frame %v %v", f, err)
	}
	res, err := s.Inbound(ctx, ch.ID, store.InboundContact{ExternalID: "x"}, store.InboundMessage{ExternalID: "m1", Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[realtime.FrameType]int{}
	for got[realtime.FrameMessageCreated] < 1 || got[realtime.FrameConversationUpdated] < 2 {
		f, err := c.Next(ctx)
		if err != nil {
			t.Fatalf("waiting for frames (got %v): %v", got, err)
		}
		got[f.Type]++
	}
	if gaps := c.Gaps(); len(gaps) != 0 {
		t.Logf("gaps %v (agent could not see the bot phase)", gaps)
	}
	if err := c.Resync(ctx, res.ConversationID); err != nil {
		t.Fatal(err)
	}
	if n := len(c.Messages(res.ConversationID)); n < 2 {
		t.Fatalf("messages after resync: %d", n)
	}
}
