package realtime_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
)

// send writes a client frame or fails the test.
func send(t testing.TB, ctx context.Context, c *rtclient.Client, typ realtime.FrameType, conv string) {
	t.Helper()
	if err := c.Send(ctx, realtime.ClientFrame{Type: typ, ConversationID: conv}); err != nil {
		t.Fatalf("%s sends %s: %v", c.User.Name, typ, err)
	}
}

// viewersText is a viewers frame's list as "Name" or "Name*" (typing).
func viewersText(t testing.TB, f realtime.Frame) string {
	var parts []string
	for _, v := range decode[realtime.ConversationViewers](t, f).Viewers {
		s := v.Name
		if v.Typing {
			s += "*"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ",")
}

// awaitViewers reads c until a viewers frame of conv lists exactly want.
func awaitViewers(t testing.TB, ctx context.Context, c *rtclient.Client, conv, want string) {
	t.Helper()
	await(t, ctx, c, fmt.Sprintf("viewers of %s = %q", conv, want), func(f realtime.Frame) bool {
		return f.Type == realtime.FrameConversationViewers && f.ConversationID == conv && viewersText(t, f) == want
	})
}

// noViewersFrame fails when frames hold a viewers frame.
func noViewersFrame(t testing.TB, who string, frames []realtime.Frame) {
	t.Helper()
	for _, f := range frames {
		if f.Type == realtime.FrameConversationViewers {
			t.Fatalf("%s got a viewers frame %s", who, f.Data)
		}
	}
}

// viewedOnOneNode is a node with the usual floor, a conversation in the
// queue and Ana's socket viewing it.
func viewedOnOneNode(t *testing.T) (context.Context, *node, *floor, string, *rtclient.Client) {
	t.Helper()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	id := f.waiting(t, ctx, "")
	ana := connect(t, ctx, n.URL(), f.ana)
	send(t, ctx, ana, realtime.FrameConversationView, id)
	return ctx, n, f, id, ana
}

func TestTwoAgentsViewingOneConversationSeeEachOtherTypeAndLeave(t *testing.T) {
	t.Parallel()
	ctx, n, f, id, ana := viewedOnOneNode(t)
	bob := connect(t, ctx, n.URL(), f.bob)

	// Alone, Ana costs no frame.
	noViewersFrame(t, "Ana, alone", barrier(t, ctx, n.Store, f.sue.ID, ana))

	send(t, ctx, bob, realtime.FrameConversationView, id)
	awaitViewers(t, ctx, ana, id, "Bob")
	awaitViewers(t, ctx, bob, id, "Ana")

	send(t, ctx, bob, realtime.FrameConversationTyping, id)
	awaitViewers(t, ctx, ana, id, "Bob*")
	// Typing ends by itself a few seconds after the last typing frame.
	awaitViewers(t, ctx, ana, id, "Bob")

	// Bob's socket closes: he is gone for Ana, who is told she is alone.
	bob.Close()
	awaitViewers(t, ctx, ana, id, "")
}

func TestViewingIsRefusedOutsideScopeAndForgedFramesRelayNothing(t *testing.T) {
	t.Parallel()
	ctx, n, f, id, ana := viewedOnOneNode(t)

	carl := connect(t, ctx, n.URL(), f.carl) // an agent of another bot
	conn, _, err := dial(ctx, n.URL(), carl.HTTP, n.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	raw := rawSocket{t, conn}
	if fr := raw.next(ctx); fr.Type != realtime.FrameHello {
		t.Fatalf("first frame %s", fr.Type)
	}
	cases := []struct{ name, body, code string }{
		{"view of another bot's conversation", `{"type":"conversation.view","conversation_id":"` + id + `"}`, "not_found"},
		{"typing without viewing", `{"type":"conversation.typing","conversation_id":"` + id + `"}`, "bad_request"},
		{"a server frame sent by a client", `{"type":"conversation.viewers","conversation_id":"` + id + `"}`, "bad_request"},
		{"an id too long", `{"type":"conversation.view","conversation_id":"` + strings.Repeat("x", 65) + `"}`, "bad_request"},
		{"no id", `{"type":"conversation.view"}`, "bad_request"},
		{"an id of the wrong type", `{"type":"conversation.view","conversation_id":7}`, "bad_request"},
	}
	for _, tc := range cases {
		raw.write(ctx, websocket.MessageText, []byte(tc.body))
		if e := raw.errorFrame(ctx); e.Code != tc.code {
			t.Errorf("%s: error code %q, want %q", tc.name, e.Code, tc.code)
		}
	}
	// Nothing of it reached Ana, who views the conversation.
	noViewersFrame(t, "Ana", barrier(t, ctx, n.Store, f.sue.ID, ana))
}

func TestViewersAndTypingCrossNodes(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	cl := newCluster(t)
	f := newFloor(t, ctx, cl.a.Store)
	id := f.waiting(t, ctx, "")
	ana := connect(t, ctx, cl.a.URL(), f.ana) // agent on node A
	sue := connect(t, ctx, cl.b.URL(), f.sue) // supervisor following on node B

	send(t, ctx, ana, realtime.FrameConversationView, id)
	send(t, ctx, sue, realtime.FrameConversationView, id)
	awaitViewers(t, ctx, ana, id, "Sue")
	awaitViewers(t, ctx, sue, id, "Ana")

	send(t, ctx, sue, realtime.FrameConversationTyping, id)
	awaitViewers(t, ctx, ana, id, "Sue*")

	send(t, ctx, sue, realtime.FrameConversationLeave, "")
	awaitViewers(t, ctx, ana, id, "")
}
