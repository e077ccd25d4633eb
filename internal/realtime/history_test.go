package realtime_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
)

// pump reads a client's socket in the background, as a browser does, so
// the server never finds it slow however long the test takes elsewhere.
// Frames are applied to the client's state as they come (rtclient.Next)
// and handed on for tests looking for one.
type pump struct {
	c      *rtclient.Client
	frames chan realtime.Frame
	done   chan struct{}
	err    error // why the socket ended, once done is closed
}

func startPump(c *rtclient.Client) *pump {
	p := &pump{c: c, frames: make(chan realtime.Frame, 1<<14), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		for {
			f, err := c.Next(context.Background())
			if err != nil {
				p.err = err // closed: by the server (shutdown) or the test
				return
			}
			select {
			case p.frames <- f:
			default: // nobody looks that far back
			}
		}
	}()
	return p
}

// await reads pumped frames until match.
func (p *pump) await(t testing.TB, ctx context.Context, what string, match func(realtime.Frame) bool) {
	t.Helper()
	for {
		select {
		case f := <-p.frames:
			if match(f) {
				return
			}
		case <-p.done:
			t.Fatalf("%s: socket ended while waiting for %s", p.c.User.Name, what)
		case <-ctx.Done():
			t.Fatalf("%s: still waiting for %s", p.c.User.Name, what)
		}
	}
}

// barrier is the pumped twin of barrier: it waits for a chat message sent
// after everything the test wants delivered.
func (p *pump) barrier(t testing.TB, ctx context.Context, s *store.Store, from string) {
	t.Helper()
	m := must(s.SendChat(ctx, from, p.c.User.ID, "barrier"))(t)
	p.await(t, ctx, "the barrier", func(f realtime.Frame) bool {
		return f.Type == realtime.FrameChatMessage && decode[desk.ChatMessage](t, f).ID == m.ID
	})
}

// visible lists the ids of the open conversations c's user may see.
func visible(t testing.TB, ctx context.Context, c *rtclient.Client) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for {
		var page struct {
			Items      []desk.Conversation `json:"items"`
			NextCursor *string             `json:"next_cursor"`
		}
		if err := c.Do(ctx, "GET", "/api/v1/conversations?limit=200&cursor="+url.QueryEscape(cursor), nil, &page); err != nil {
			t.Fatal(err)
		}
		for _, conv := range page.Items {
			ids = append(ids, conv.ID)
		}
		if page.NextCursor == nil || *page.NextCursor == "" {
			return ids
		}
		cursor = *page.NextCursor
	}
}

// catchUp is the client's recovery: resync the conversations with a seq
// gap, then every conversation it can see (what a client does after a
// reconnect). It returns how many gaps there were.
func catchUp(t testing.TB, ctx context.Context, c *rtclient.Client) (gaps int, ids []string) {
	t.Helper()
	for _, id := range c.Gaps() {
		gaps++
		var ae *rtclient.APIError
		if err := c.Resync(ctx, id); err != nil && !(errors.As(err, &ae) && ae.Status == http.StatusNotFound) {
			t.Fatalf("%s: resync %s: %v", c.User.Name, id, err) // 404: no longer hers to see
		}
	}
	ids = visible(t, ctx, c)
	for _, id := range ids {
		if err := c.Resync(ctx, id); err != nil {
			t.Fatalf("%s: resync %s: %v", c.User.Name, id, err)
		}
	}
	return gaps, ids
}

// held counts the messages c holds over ids.
func held(c *rtclient.Client, ids []string) int {
	n := 0
	for _, id := range ids {
		n += len(c.Messages(id))
	}
	return n
}

// sameHistory checks that c holds exactly the store's timeline of each
// conversation: the same ids with the same seqs, each once, in order. It
// returns the number of messages compared.
func sameHistory(t testing.TB, ctx context.Context, s *store.Store, c *rtclient.Client, ids []string) int {
	t.Helper()
	zero, total := int64(0), 0
	for _, id := range ids {
		want := must(s.ListMessages(ctx, desk.UserActor(c.User), id, store.MessagePage{AfterSeq: &zero, Limit: 100000}))(t)
		got := c.Messages(id)
		total += len(want)
		if len(got) != len(want) {
			t.Errorf("%s: conversation %s: holds %d messages, store has %d", c.User.Name, id, len(got), len(want))
			continue
		}
		for i := range want {
			if got[i].ID != want[i].ID || got[i].Seq != want[i].Seq {
				t.Errorf("%s: conversation %s: message %d is %s@%d, store has %s@%d",
					c.User.Name, id, i, got[i].ID, got[i].Seq, want[i].ID, want[i].Seq)
				break
			}
		}
	}
	return total
}
