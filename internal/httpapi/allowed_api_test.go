package httpapi_test

import (
	"slices"
	"testing"
)

// TestAllowedActionsAreServedPerCaller: GET, the list and an action's answer
// carry what this caller may do now (desk.AllowedActions), lock included,
// and what only the lock holds back; the console reads these and mirrors
// no rule.
func TestAllowedActionsAreServedPerCaller(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		id := w.waitingConv("al1")
		ag, sup, aud := w.login(w.agent), w.login(w.sup), w.login(w.auditor)
		wantActions(t, "agent, waiting", ag.conv(id), []string{"assign", "note", "mark_read"}, nil)
		wantActions(t, "supervisor, waiting", sup.conv(id), []string{"assign", "resolve", "block", "tag", "note", "mark_read"}, nil)
		wantActions(t, "auditor, waiting", aud.conv(id), []string{"assign", "tag", "note", "mark_read"}, nil)

		w.online(w.agent)
		// The assign answer is the new holder's view, under the lock.
		held := ag.post("/api/v1/conversations/"+id+"/assign", nil).want(200).obj()
		wantActions(t, "agent after assign (locked)", held, []string{"unassign", "note", "mark_read"},
			[]string{"transfer", "resolve", "block", "tag", "reply"})
		w.drain() // the lock ends with its work
		wantActions(t, "agent, own", ag.conv(id),
			[]string{"unassign", "transfer", "resolve", "block", "tag", "reply", "note", "mark_read"}, nil)
		wantActions(t, "supervisor, someone's", sup.conv(id),
			[]string{"unassign", "transfer", "resolve", "block", "tag", "note", "mark_read"}, nil)
		for _, item := range sup.get("/api/v1/conversations").want(200).items() {
			if item["id"] == id {
				wantActions(t, "supervisor, in the list", item,
					[]string{"unassign", "transfer", "resolve", "block", "tag", "note", "mark_read"}, nil)
			}
		}
		bot := w.token(w.botA.ID)
		wantActions(t, "bot token, human phase", bot.conv(id), []string{"tag"}, nil)
	})
}

func wantActions(t *testing.T, what string, c map[string]any, now, afterLock []string) {
	t.Helper()
	got, after := strs(c["allowed_actions"]), strs(c["actions_after_lock"])
	if !slices.Equal(got, now) || !slices.Equal(after, afterLock) {
		t.Errorf("%s: allowed %v, after lock %v; want %v, %v", what, got, after, now, afterLock)
	}
}
