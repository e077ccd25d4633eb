package web_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/widgetapi"
)

func wsURL(e *env, token string) string {
	return "ws" + strings.TrimPrefix(e.ts.URL, "http") + "/widget/v1/ws?token=" + token
}

func channelPatch(cfg string) store.ChannelPatch {
	raw := json.RawMessage(cfg)
	return store.ChannelPatch{Config: &raw}
}

// frames reads a widget socket.
type frames struct {
	t    *testing.T
	ctx  context.Context
	conn *websocket.Conn
}

func (e *env) dial(v visitor) *frames {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	e.t.Cleanup(cancel)
	conn, _, err := websocket.Dial(ctx, wsURL(e, v.token), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { conn.CloseNow() })
	f := &frames{t: e.t, ctx: ctx, conn: conn}
	if h := f.next(); h.Type != realtime.FrameHello {
		e.t.Fatalf("first frame %+v", h)
	}
	return f
}

func (f *frames) next() realtime.Frame {
	f.t.Helper()
	_, data, err := f.conn.Read(f.ctx)
	if err != nil {
		f.t.Fatalf("read frame: %v", err)
	}
	var fr realtime.Frame
	if err := json.Unmarshal(data, &fr); err != nil {
		f.t.Fatal(err)
	}
	return fr
}

// until reads frames until one matches, failing on any frame that must
// never reach a customer.
func (f *frames) until(match func(realtime.Frame) bool) realtime.Frame {
	f.t.Helper()
	for {
		fr := f.next()
		if strings.Contains(string(fr.Data), "INTERNAL") || strings.Contains(string(fr.Data), `"kind":"event"`) || strings.Contains(string(fr.Data), `"user_id"`) {
			f.t.Fatalf("the customer's socket got %s %s", fr.Type, fr.Data)
		}
		if match(fr) {
			return fr
		}
	}
}

func messageText(fr realtime.Frame) string {
	var m widgetapi.WidgetMessage
	_ = json.Unmarshal(fr.Data, &m)
	return m.Text
}

// An agent's reply, the notices and the agent's typing reach the
// customer's socket live; notes and events never do.
func TestSocketDeliversAgentReplyAndTyping(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		v := e.anon()
		first := v.say("1", "Hello?")
		f := e.dial(v)
		other := e.dial(e.anon()) // another visitor hears nothing of it

		a := desk.UserActor(e.agent)
		if _, err := e.s.Assign(ctx, a, first.ConversationID, store.AssignInput{}); err != nil {
			t.Fatal(err)
		}
		fr := f.until(func(fr realtime.Frame) bool { return fr.Type == realtime.FrameConversationUpdated })
		var wc widgetapi.WidgetConversation
		_ = json.Unmarshal(fr.Data, &wc)
		if wc.Phase != desk.PhaseHuman || wc.Agent != "Alice Agent" || fr.ConversationID != first.ConversationID || fr.Seq == 0 {
			t.Fatalf("conversation frame %+v %+v", fr, wc)
		}
		f.until(func(fr realtime.Frame) bool {
			return fr.Type == realtime.FrameMessageCreated && messageText(fr) == "You are being transferred to Agent Alice Agent"
		})
		e.drain()
		if _, err := e.s.AddNote(ctx, a, first.ConversationID, "INTERNAL note"); err != nil {
			t.Fatal(err)
		}
		// Typing, as the console's hub announces it on the bus.
		e.svc.OnChange(desk.Change{Type: desk.ChangeTyping, ConversationID: first.ConversationID, BotID: e.bot.ID, UserID: e.agent.ID})
		fr = f.until(func(fr realtime.Frame) bool { return fr.Type == realtime.FrameTyping })
		var ty realtime.Typing
		_ = json.Unmarshal(fr.Data, &ty)
		if ty.Name != "Alice Agent" || ty.Author != desk.AuthorAgent || ty.UserID != "" {
			t.Fatalf("typing %+v", ty)
		}
		if _, err := e.s.Send(ctx, a, first.ConversationID, store.SendInput{Text: "Hi, how can I help?"}); err != nil {
			t.Fatal(err)
		}
		fr = f.until(func(fr realtime.Frame) bool { return fr.Type == realtime.FrameMessageCreated })
		var m widgetapi.WidgetMessage
		_ = json.Unmarshal(fr.Data, &m)
		if m.Text != "Hi, how can I help?" || m.Author != (widgetapi.WidgetAuthor{Type: desk.AuthorAgent, Name: "Alice Agent"}) || fr.Seq != m.Seq {
			t.Fatalf("reply frame %+v %+v", fr, m)
		}
		// The other visitor's socket heard nothing of it.
		ctx2, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		if _, data, err := other.conn.Read(ctx2); err == nil {
			t.Fatalf("another visitor's socket got %s", data)
		}
	})
}

// {"type":"typing"} from the widget tells the agents, as the contact.
func TestVisitorTypingIsPublishedForTheAgents(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v := e.anon()
		f := e.dial(v)
		write := func(s string) {
			if err := f.conn.Write(f.ctx, websocket.MessageText, []byte(s)); err != nil {
				t.Fatal(err)
			}
		}
		// Frames are handled in order: an error frame answering a bad one
		// says every frame before it was handled.
		settle := func() {
			write(`{"type":"nonsense"}`)
			if fr := f.until(func(fr realtime.Frame) bool { return fr.Type == realtime.FrameError }); !strings.Contains(string(fr.Data), "bad_request") {
				t.Fatalf("error frame %s", fr.Data)
			}
		}
		// Nothing to type in before the first message: nothing published.
		write(`{"type":"typing"}`)
		settle()
		m := v.say("1", "Hi")
		time.Sleep(2100 * time.Millisecond) // past the typing throttle
		write(`{"type":"typing"}`)
		write(`{"type":"typing"}`) // throttled
		settle()
		got := e.typingPublished()
		if len(got) != 1 || got[0].ConversationID != m.ConversationID || got[0].UserID != "" || got[0].BotID != e.bot.ID {
			t.Fatalf("published %+v", got)
		}
	})
}

func TestSocketNeedsAValidToken(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, tok := range []string{"", "rlv_w_nope", "rlv_t_x"} {
			_, res, err := websocket.Dial(ctx, wsURL(e, tok), nil)
			if err == nil || res == nil || res.StatusCode != 401 {
				t.Errorf("token %q: %v %v", tok, err, res)
			}
		}
	})
}

// A frame over the read limit (24 KiB: room for a 16 KiB call signal)
// closes the socket (1009 message too big).
func TestSocketReadLimit(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		f := e.dial(e.anon())
		_ = f.conn.Write(f.ctx, websocket.MessageText, []byte(`{"type":"typing","x":"`+strings.Repeat("a", 25<<10)+`"}`))
		for {
			if _, _, err := f.conn.Read(f.ctx); err != nil {
				if c := websocket.CloseStatus(err); c != websocket.StatusMessageTooBig {
					t.Fatalf("closed with %v (%v), want 1009", c, err)
				}
				return
			}
		}
	})
}

// Frames carry the conversation's seq, so a widget catches up after a
// reconnect with after_seq from the last frame it saw.
func TestCatchUpAfterReconnect(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v := e.anon()
		m := v.say("1", "Hi")
		f := e.dial(v)
		e.assignAndReply(m.ConversationID, "first reply")
		last := f.until(func(fr realtime.Frame) bool { return messageText(fr) == "first reply" })
		f.conn.CloseNow()
		// While disconnected:
		if _, err := e.s.Send(context.Background(), desk.UserActor(e.agent), m.ConversationID, store.SendInput{Text: "second reply"}); err != nil {
			t.Fatal(err)
		}
		got := v.messages("?conversation_id=" + m.ConversationID + "&after_seq=" + strconv.FormatInt(last.Seq, 10))
		if len(got.Items) != 1 || got.Items[0].Text != "second reply" {
			t.Fatalf("catch-up %+v", got.Items)
		}
	})
}
