package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// The survey reaches the visitor with its conversation once an agent
// resolved it; POST /widget/v1/csat takes one valid rating of the
// visitor's own conversation and refuses the rest with stable codes.
func TestWidgetCSATRatesOwnConversationOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		on := desk.CSAT{Enabled: true, AskComment: true}
		if _, err := e.s.UpdateBot(ctx, e.bot.ID, store.BotPatch{CSAT: &on}); err != nil {
			t.Fatal(err)
		}
		alice, bob := e.anon(), e.anon()
		am := alice.say("a1", "Where is my order?")
		bob.say("b1", "Bob here")
		e.assignAndReply(am.ConversationID, "On its way")
		if alice.messages("").Conversation.CSAT != nil {
			t.Fatal("asked before resolve")
		}
		if _, err := e.s.Resolve(ctx, desk.UserActor(e.agent), am.ConversationID); err != nil {
			t.Fatal(err)
		}
		got := alice.messages("?conversation_id=" + am.ConversationID).Conversation.CSAT
		if got == nil || !got.Open || !got.AskComment || got.Question != desk.DefaultCSATQuestions["en"] {
			t.Fatalf("survey = %+v", got)
		}
		rate := func(v visitor, body map[string]any) resp { return v.post("/widget/v1/csat", body) }
		for _, c := range []struct {
			v      visitor
			body   map[string]any
			status int
			code   string
		}{
			{alice, map[string]any{"conversation_id": am.ConversationID, "score": 0}, 422, "validation_failed"},
			{alice, map[string]any{"conversation_id": am.ConversationID, "score": 6}, 422, "validation_failed"},
			{alice, map[string]any{"conversation_id": am.ConversationID, "score": 3, "comment": strings.Repeat("x", desk.MaxCSATComment+1)}, 422, "validation_failed"},
			{alice, map[string]any{"conversation_id": am.ConversationID, "score": "4"}, 400, "bad_request"},
			{bob, map[string]any{"conversation_id": am.ConversationID, "score": 5}, 404, "not_found"},
			{bob, map[string]any{"conversation_id": bobConv(t, bob), "score": 5}, 409, "csat_closed"},
		} {
			if r := rate(c.v, c.body); r.Status != c.status || r.code() != c.code {
				t.Errorf("%v: %d %s, want %d %s", c.body, r.Status, r.Body, c.status, c.code)
			}
		}
		r := rate(alice, map[string]any{"conversation_id": am.ConversationID, "score": 4, "comment": "Kind"}).want(200)
		if !strings.Contains(string(r.Body), `"score":4`) || !strings.Contains(string(r.Body), `"open":false`) {
			t.Fatalf("answer: %s", r.Body)
		}
		if r := rate(alice, map[string]any{"conversation_id": am.ConversationID, "score": 1}); r.Status != 409 || r.code() != "csat_already_answered" {
			t.Fatalf("again: %d %s", r.Status, r.Body)
		}
		if st, _ := e.s.CSATOf(ctx, am.ConversationID); st.Score == nil || *st.Score != 4 || st.Comment != "Kind" {
			t.Fatalf("stored %+v", st)
		}
	})
}
