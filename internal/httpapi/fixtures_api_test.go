package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"net/url"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Conversations in a given phase, made through the store the way the
// channel and the bot make them, so the tests of an action start from a
// known state in one line.

// convOn stores a customer message on ch from contact ext and returns the
// conversation's id. Each call is a new message of that contact.
func (w *world) convOn(ch desk.Channel, ext string) string {
	w.t.Helper()
	w.msgN++
	res := storetest.NewSeed(w.t, w.db.Store).Inbound(ch.ID,
		store.InboundContact{ExternalID: ext, Name: "Customer " + ext, Phone: phoneOf(ext)},
		store.InboundMessage{ExternalID: fmt.Sprintf("%s-m%d", ext, w.msgN), Text: "hello from " + ext})
	return res.ConversationID
}

// botConv is a conversation of bot A in phase bot.
func (w *world) botConv(ext string) string {
	w.t.Helper()
	return w.convOn(w.apiA, ext)
}

// waitingOn is a conversation on ch in the queue (handed over by its bot
// when the bot has a flow).
func (w *world) waitingOn(ch desk.Channel, ext string) string {
	w.t.Helper()
	id := w.convOn(ch, ext)
	c, err := w.db.Store.GetConversation(context.Background(), desk.SystemActor, id)
	if err != nil {
		w.t.Fatal(err)
	}
	if c.Phase == desk.PhaseBot {
		if _, err := w.db.Store.Handover(context.Background(), desk.Actor{Integration: true, BotID: ch.BotID}, id, store.HandoverInput{}); err != nil {
			w.t.Fatalf("handover: %v", err)
		}
	}
	w.drain()
	return id
}

// waitingConv is a conversation of bot A in the queue.
func (w *world) waitingConv(ext string) string {
	w.t.Helper()
	return w.waitingOn(w.apiA, ext)
}

// humanOn is a conversation on ch assigned to u, its lock released.
func (w *world) humanOn(ch desk.Channel, ext string, u desk.User) string {
	w.t.Helper()
	id := w.waitingOn(ch, ext)
	w.online(u)
	u, err := w.db.Store.GetUser(context.Background(), u.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.db.Store.Assign(context.Background(), desk.UserActor(u), id, store.AssignInput{}); err != nil {
		w.t.Fatalf("assign: %v", err)
	}
	w.drain()
	return id
}

// humanConv is a conversation of bot A assigned to u, its lock released.
func (w *world) humanConv(ext string, u desk.User) string {
	w.t.Helper()
	return w.humanOn(w.apiA, ext, u)
}

// online sets u online.
func (w *world) online(u desk.User) {
	w.t.Helper()
	storetest.NewSeed(w.t, w.db.Store).Online(u)
}

// drain delivers everything the outbox holds (customer notices, bot
// events): the processing locks waiting on them end.
func (w *world) drain() {
	w.t.Helper()
	if err := w.outbox.Drain(context.Background()); err != nil {
		w.t.Fatalf("drain: %v", err)
	}
}

// snapshot is a conversation and its whole timeline as the admin reads
// them: comparing two snapshots shows whether anything changed.
func (w *world) snapshot(id string) string {
	w.t.Helper()
	c := w.adm().get("/api/v1/conversations/" + id).want(200)
	m := w.adm().get("/api/v1/conversations/" + id + "/messages?limit=200").want(200)
	return string(c.Body) + "\n" + string(m.Body)
}

// unchanged fails when the conversation or its timeline moved since before.
func (w *world) unchanged(t *testing.T, id, before, after string) {
	t.Helper()
	if now := w.snapshot(id); now != before {
		t.Errorf("refused %s changed conversation %s:\nbefore: %s\nafter:  %s", after, id, before, now)
	}
}

// refused runs a request that must fail with status and code, and checks
// that conversation id is the same afterwards.
func (w *world) refused(t *testing.T, id string, status int, code string, req func() *resp) map[string]any {
	t.Helper()
	before := w.snapshot(id)
	r := req()
	d, _ := r.check(t, status, code)
	w.unchanged(t, id, before, r.what)
	return d
}

// conv reads a conversation as c sees it.
func (c *client) conv(id string) map[string]any {
	c.w.t.Helper()
	return c.get("/api/v1/conversations/" + id).want(200).obj()
}

// timeline reads a conversation's messages as c sees them.
func (c *client) timeline(id string) []map[string]any {
	c.w.t.Helper()
	return c.get("/api/v1/conversations/" + id + "/messages?limit=200").want(200).items()
}

// events picks the event messages of a timeline, in order.
func events(msgs []map[string]any) []map[string]any {
	var out []map[string]any
	for _, m := range msgs {
		if m["kind"] == "event" {
			out = append(out, m["event"].(map[string]any))
		}
	}
	return out
}

// listIDs lists the ids of the conversations c sees for query q.
func (c *client) listIDs(q string) []string {
	c.w.t.Helper()
	return ids(c.get("/api/v1/conversations" + q).want(200).items())
}

// num reads a JSON number as an int64.
func num(v any) int64 {
	switch n := v.(type) {
	case float64:
		return int64(n)
	case json.Number:
		i, _ := n.Int64()
		return i
	}
	panic(fmt.Sprintf("not a number: %#v", v))
}

// inboundBody is the body of POST /api/v1/channels/{id}/inbound.
func inboundBody(ext, msgID, text string) map[string]any {
	return map[string]any{
		"contact": map[string]string{"external_id": ext, "name": "Customer " + ext, "phone": phoneOf(ext)},
		"message": map[string]string{"id": msgID, "text": text},
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// templateDraft is a template of channel ch with the given status.
func templateDraft(ch, name, status string) desk.Template {
	return desk.Template{ChannelID: ch, Name: name, Language: "en", Category: "UTILITY", Body: "Hi {{1}}", Status: status}
}

// phoneOf is a valid phone number for contact ext, the same every time.
func phoneOf(ext string) string {
	return fmt.Sprintf("5511%08d", crc32.ChecksumIEEE([]byte(ext))%100000000)
}
