package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// smallSendBuffers gives each accepted connection a small send buffer, so
// that a peer that stops reading blocks the socket's writes after some
// kilobytes, not after the megabytes the kernel grows a buffer to on
// loopback: the frames routed meanwhile wait in the socket's queue, as
// they do when a console is busy or its network slow.
type smallSendBuffers struct{ net.Listener }

func (l smallSendBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		err = c.(*net.TCPConn).SetWriteBuffer(32 << 10)
	}
	return c, err
}

// pausedReader is a console socket the test reads only once resumed (with
// a small receive buffer: nothing much waits in the kernel meanwhile).
type pausedReader struct {
	resume chan struct{}
	*frames
}

func (w *hubWorld) dialPaused(t *testing.T, ctx context.Context, u desk.User) *pausedReader {
	t.Helper()
	d := &net.Dialer{}
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		if err == nil {
			err = c.(*net.TCPConn).SetReadBuffer(4 << 10)
		}
		return c, err
	}}}
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(w.srv.URL, "http")+"/?as="+u.ID, &websocket.DialOptions{HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	conn.SetReadLimit(-1)
	t.Cleanup(func() { conn.CloseNow() })
	// Paused, it would not answer the hub's pings (every 25 s): tests dial
	// it once the burst is committed, and wait until it is routed to.
	for w.hub.Connected() == 0 {
		time.Sleep(time.Millisecond)
	}
	p := &pausedReader{resume: make(chan struct{}), frames: &frames{conn: conn, ch: make(chan Frame, 1<<14), err: make(chan error, 1)}}
	go func() {
		<-p.resume
		p.pump()
	}()
	return p
}

// widgetBurst opens a conversation for each of visitors on a web channel
// of the world's bot (no flow: each goes straight to the queue) and then
// stores more messages of theirs, as the widget's POST /widget/v1/messages
// does, eight writers at once, while routing is held: the changes reach
// the hub together, as a busy bus hands over the commits of many
// concurrent requests. It returns the customer messages' conversations by
// message id.
func (w *hubWorld) widgetBurst(t *testing.T, ctx context.Context, visitors, more int) map[string]string {
	t.Helper()
	ch := storetest.NewSeed(t, w.db.Store).Channel(desk.Channel{BotID: w.bot.ID, Type: desk.ChannelWeb, Name: "site", Config: json.RawMessage(`{}`)})
	w.mu.Lock()
	w.held = true
	w.mu.Unlock()
	var mu sync.Mutex
	ids := map[string]string{}
	write := func(from, to int) {
		next := make(chan int)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					res, err := w.db.Store.Inbound(ctx, ch.ID, store.InboundContact{ExternalID: fmt.Sprintf("visitor-%d", i%visitors)},
						store.InboundMessage{ExternalID: fmt.Sprintf("m%d", i), Kind: desk.KindText, Text: fmt.Sprintf("message %d", i)})
					if err != nil {
						t.Error(err)
						continue
					}
					mu.Lock()
					ids[res.MessageID] = res.ConversationID
					mu.Unlock()
				}
			}()
		}
		for i := from; i < to; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	write(0, visitors) // every conversation opens before the further messages
	write(visitors, visitors+more)
	return ids
}

// A burst of new widget conversations (the first message of 120 visitors,
// then 120 more messages) reaches an agent whose console reads nothing
// while it is routed: five frames per new conversation (two
// conversation.updated, the customer's message, the hand-over line, the
// queue notice), far more than the 256 a socket used to hold. The socket
// stays open and, read, holds every customer message once, in seq order,
// and each conversation's latest state: waiting in the queue.
func TestAWidgetBurstReachesABusyAgentWhole(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			w := newHubWorldOn(t, dialect, Options{}, func(l net.Listener) net.Listener { return smallSendBuffers{l} })
			const visitors, more = 120, 120
			ids := w.widgetBurst(t, ctx, visitors, more)
			ana := w.dialPaused(t, ctx, w.agent)
			w.release()
			close(ana.resume)

			latest := map[string]desk.Conversation{}
			horizon := map[string]int64{}
			seen := map[string]bool{}
			frames := 0
			for len(seen) < len(ids) {
				f := ana.next(t, ctx)
				frames++
				if f.ConversationID == "" {
					continue
				}
				if f.Seq <= horizon[f.ConversationID] {
					t.Fatalf("%s seq %d after seq %d", f.Type, f.Seq, horizon[f.ConversationID])
				}
				horizon[f.ConversationID] = f.Seq
				switch f.Type {
				case FrameConversationUpdated:
					var c desk.Conversation
					must(t, json.Unmarshal(f.Data, &c))
					latest[c.ID] = c
				case FrameMessageCreated:
					var m desk.Message
					must(t, json.Unmarshal(f.Data, &m))
					if _, ok := ids[m.ID]; ok {
						seen[m.ID] = true
					}
				}
			}
			if frames <= 256 {
				t.Fatalf("only %d frames: no burst", frames)
			}
			for _, id := range ids {
				c, ok := latest[id]
				want, err := w.db.Store.GetConversation(ctx, desk.SystemActor, id)
				must(t, err)
				if !ok || c.Phase != desk.PhaseWaiting || c.Phase != want.Phase || c.Contact.ID != want.Contact.ID {
					t.Fatalf("conversation %s: latest frame in phase %q (any: %v), the store's %q", id, c.Phase, ok, want.Phase)
				}
			}
			if got := counterValue(t, w.reg, "relevo_ws_slow_closed_total"); got != 0 {
				t.Fatalf("%v sockets closed as too slow", got)
			}
			t.Logf("%s: %d frames for %d new conversations and %d messages", dialect, frames, visitors, len(ids))
		})
	}
}

// A console that stops reading for good is still closed as too slow: the
// larger queue holds its frames only until a write to it has been stuck
// for the write timeout (5 s), or the queue is full, whichever comes
// first.
func TestAStuckConsoleIsStillClosedAsTooSlow(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := newHubWorldOn(t, "sqlite", Options{}, func(l net.Listener) net.Listener { return smallSendBuffers{l} })
	// 40 new conversations (5 frames each) and 200 more messages: about
	// 240 KB, several times what the kernel's buffers hold even when it
	// grows them (200 frames alone, ~120 KB, sometimes fitted, and the
	// socket was then closed by the ping's timeout instead).
	w.widgetBurst(t, ctx, 40, 200)
	w.dialPaused(t, ctx, w.agent) // never resumed
	w.release()
	for w.hub.Connected() > 0 {
		if ctx.Err() != nil {
			t.Fatal("the stuck socket is still open")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := counterValue(t, w.reg, "relevo_ws_slow_closed_total"); got != 1 {
		t.Fatalf("%v sockets closed as too slow, want 1", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
