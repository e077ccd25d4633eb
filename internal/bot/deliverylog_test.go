package bot_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/relevo/relevo/internal/botapi"
	"github.com/relevo/relevo/internal/store/storetest"
	"github.com/relevo/relevo/internal/webhook"
)

// Every POST of a real event lands in the bot's delivery log, the failed
// attempt and its retry each with their status, never with the secret.
func TestEventPostsAreLogged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		e := newExternal(t, db)
		var failed atomic.Bool
		e.rc.react = func(d delivery) int {
			if d.Type == string(botapi.EventMessage) && failed.CompareAndSwap(false, true) {
				return http.StatusServiceUnavailable
			}
			return http.StatusOK
		}
		if code, res := e.call("/api/v1/channels/"+e.ch.ID+"/inbound", map[string]any{
			"contact": map[string]string{"external_id": "u1"}, "message": map[string]string{"id": "in-1", "text": "hello"}}); code != http.StatusOK {
			t.Fatalf("inbound: %d %v", code, res)
		}
		e.drain(t)
		list, err := e.s.ListBotDeliveries(e.ctx, e.bot.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("log = %+v (%v), want the failure and the retry", list, err)
		}
		retry, first := list[0], list[1]
		if first.Status == nil || *first.Status != 503 || retry.Status == nil || *retry.Status != 200 {
			t.Fatalf("statuses: first %+v, retry %+v", first, retry)
		}
		want := webhook.LogURL(e.rc.URL)
		for _, d := range list {
			if d.EventType != string(botapi.EventMessage) || d.Test || d.URL != want || d.EventID != first.EventID {
				t.Errorf("row = %+v", d)
			}
			raw, _ := json.Marshal(d)
			if strings.Contains(string(raw), e.bot.WebhookSecret) || strings.Contains(string(raw), "sha256=") {
				t.Errorf("the log holds the secret or a signature: %s", raw)
			}
		}
	})
}
