package realtime_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Channel, bot and token settings are served from memory on every node
// (store/cache.go). A change answered on node A takes effect on node B for
// the very next request, even though B had the old row in memory: a
// changed channel secret and a revoked token.
func TestSettingsChangedOnOneNodeTakeEffectOnTheOtherAtOnce(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	cl := newCluster(t)
	f := newFloor(t, ctx, cl.a.Store)

	// A WhatsApp channel's verify token: the handshake on B answers 200 with
	// the right one (B now holds the channel in memory).
	wa := storetest.Seed{T: t, S: cl.a.Store, Ctx: ctx}.Channel(desk.Channel{BotID: f.bot.ID, Type: desk.ChannelWhatsApp, Name: "wa",
		Config: json.RawMessage(`{"phone_number_id":"1","access_token":"t","app_secret":"s","verify_token":"old-token"}`)})
	handshake := func(token string) int {
		t.Helper()
		q := url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {token}, "hub.challenge": {"42"}}
		res, err := http.Get(cl.b.URL() + "/webhooks/whatsapp/" + wa.ID + "?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		return res.StatusCode
	}
	if code := handshake("old-token"); code != 200 {
		t.Fatalf("handshake with the token: %d, want 200", code)
	}
	cfg := json.RawMessage(`{"phone_number_id":"1","access_token":"t","app_secret":"s","verify_token":"new-token"}`)
	if _, err := cl.a.Store.UpdateChannel(ctx, wa.ID, store.ChannelPatch{Config: &cfg}); err != nil {
		t.Fatal(err)
	}
	if code := handshake("old-token"); code != http.StatusForbidden {
		t.Errorf("handshake with the replaced token on B: %d, want 403", code)
	}
	if code := handshake("new-token"); code != 200 {
		t.Errorf("handshake with the new token on B: %d, want 200", code)
	}

	// A bot token: B takes a message with it (and keeps it in memory), A
	// revokes it, B refuses the next one.
	plain := botToken(t, ctx, cl.a.Store, f.other.ID)
	api := &rtclient.Client{Base: cl.b.URL(), HTTP: &http.Client{Transport: bearer(plain)}}
	body := map[string]any{"contact": map[string]string{"external_id": "r1"}, "message": map[string]string{"id": "r1-1", "text": "hi"}}
	if err := api.Do(ctx, "POST", "/api/v1/channels/"+f.otherCh.ID+"/inbound", body, nil); err != nil {
		t.Fatal(err)
	}
	toks, err := cl.a.Store.ListTokens(ctx)
	if err != nil || len(toks) != 1 {
		t.Fatalf("tokens: %v %v", toks, err)
	}
	if err := cl.a.Store.RevokeToken(ctx, toks[0].ID); err != nil {
		t.Fatal(err)
	}
	body["message"] = map[string]string{"id": "r1-2", "text": "again"}
	err = api.Do(ctx, "POST", "/api/v1/channels/"+f.otherCh.ID+"/inbound", body, nil)
	if he, ok := err.(*rtclient.APIError); !ok || he.Status != http.StatusUnauthorized {
		t.Fatalf("inbound on B with the revoked token: %v, want 401", err)
	}
}
