package store_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// A channel saved back as it was read (secrets masked, or left out) keeps
// its stored secrets; the identity secret is set alone, on web channels.
func TestUpdateChannelKeepsMaskedSecrets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		wa, err := s.CreateChannel(ctx, desk.Channel{BotID: b.ID, Type: desk.ChannelWhatsApp, Name: "WA",
			Config: json.RawMessage(`{"phone_number_id":"1","access_token":"tok","app_secret":"app","verify_token":"ver"}`)})
		if err != nil {
			t.Fatal(err)
		}
		read := desk.ViewChannel(desk.Actor{}, wa).Config
		got, err := s.UpdateChannel(ctx, wa.ID, store.ChannelPatch{Config: &read})
		if err != nil {
			t.Fatal(err)
		}
		if !sameJSON(got.Config, wa.Config) {
			t.Fatalf("saved as read: %s, was %s", got.Config, wa.Config)
		}
		secret := "s3"
		_, err = s.UpdateChannel(ctx, wa.ID, store.ChannelPatch{Secret: &secret})
		wantInvalid(t, err, "type")

		web, err := s.CreateChannel(ctx, desk.Channel{BotID: b.ID, Type: desk.ChannelWeb, Name: "Site",
			Config: json.RawMessage(`{"title":"Shop","secret":"********"}`)})
		if err != nil || string(web.Config) != `{"title":"Shop"}` {
			t.Fatalf("created with a mask: %s, %v", web.Config, err)
		}
		if got, err = s.UpdateChannel(ctx, web.ID, store.ChannelPatch{Secret: &secret}); err != nil {
			t.Fatal(err)
		}
		if !sameJSON(got.Config, json.RawMessage(`{"secret":"s3","title":"Shop"}`)) {
			t.Fatalf("after the secret: %s", got.Config)
		}
	})
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y map[string]any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
