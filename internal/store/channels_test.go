package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

func fxChannel(t *testing.T, s *store.Store, botID string, typ desk.ChannelType, name string) desk.Channel {
	t.Helper()
	cfg := json.RawMessage(`{}`)
	if typ == desk.ChannelWhatsApp {
		cfg = json.RawMessage(`{"phone_number_id": "123"}`)
	}
	c, err := s.CreateChannel(context.Background(), desk.Channel{BotID: botID, Type: typ, Name: name, Config: cfg})
	if err != nil {
		t.Fatalf("CreateChannel %s: %v", name, err)
	}
	return c
}

func TestCreateChannelDefaultsConfig(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		c, err := s.CreateChannel(ctx, desk.Channel{BotID: b.ID, Type: desk.ChannelWeb, Name: " Site "})
		if err != nil {
			t.Fatal(err)
		}
		if c.ID == "" || c.BotID != b.ID || c.Name != "Site" || string(c.Config) != `{}` || !c.CreatedAt.Equal(storetest.Epoch) {
			t.Fatalf("channel = %+v (config %s)", c, c.Config)
		}
		wa, err := s.CreateChannel(ctx, desk.Channel{BotID: b.ID, Type: desk.ChannelWhatsApp, Name: "WA",
			Config: json.RawMessage(`{"phone_number_id": "123", "access_token": "t"}`)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.GetChannel(ctx, wa.ID)
		if err != nil || string(got.Config) != `{"phone_number_id":"123","access_token":"t"}` || got.Type != desk.ChannelWhatsApp {
			t.Fatalf("GetChannel = %+v (config %s), %v", got, got.Config, err)
		}
		_, err = s.GetChannel(ctx, "missing")
		wantCode(t, err, desk.CodeNotFound)
		// Every documented key of a web config, at once.
		full := json.RawMessage(`{"title":"Acme help","greeting":"Hi!\nAsk us.","color":"#2f6fed","prechat":[{"name":"name","required":true},{"name":"email"}],` +
			`"allowed_origins":["https://shop.example"],"secret":"s3cret","languages":["en","es","pt-BR"]}`)
		if _, err := s.CreateChannel(ctx, desk.Channel{BotID: b.ID, Type: desk.ChannelWeb, Name: "Full", Config: full}); err != nil {
			t.Fatalf("a complete web config: %v", err)
		}
	})
}

func TestCreateChannelValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		web := func(cfg string) desk.Channel {
			return desk.Channel{BotID: b.ID, Type: desk.ChannelWeb, Name: "c", Config: json.RawMessage(cfg)}
		}
		wa := func(field string) desk.Channel {
			return desk.Channel{BotID: b.ID, Type: desk.ChannelWhatsApp, Name: "c", Config: json.RawMessage(`{"phone_number_id": "1", ` + field + `}`)}
		}
		for _, tc := range []struct {
			name, field string
			ch          desk.Channel
		}{
			{"unknown bot", "bot_id", desk.Channel{BotID: "nope", Type: desk.ChannelWeb, Name: "c"}},
			{"unknown type", "type", desk.Channel{BotID: b.ID, Type: "fax", Name: "c"}},
			{"no name", "name", desk.Channel{BotID: b.ID, Type: desk.ChannelWeb, Name: " "}},
			{"config array", "config", desk.Channel{BotID: b.ID, Type: desk.ChannelAPI, Name: "c", Config: json.RawMessage(`[]`)}},
			{"config broken", "config", desk.Channel{BotID: b.ID, Type: desk.ChannelAPI, Name: "c", Config: json.RawMessage(`{`)}},
			{"whatsapp without phone number id", "config.phone_number_id",
				desk.Channel{BotID: b.ID, Type: desk.ChannelWhatsApp, Name: "c", Config: json.RawMessage(`{"waba_id":"1"}`)}},
			{"whatsapp with numeric phone number id", "config.phone_number_id",
				desk.Channel{BotID: b.ID, Type: desk.ChannelWhatsApp, Name: "c", Config: json.RawMessage(`{"phone_number_id":123}`)}},
			// Every type's config is checked key by key (desk.CheckChannelConfig).
			{"web origin that is not one", "config.allowed_origins[1]", web(`{"allowed_origins": ["https://shop.example", "not an origin"]}`)},
			{"web origins as a string", "config.allowed_origins", web(`{"allowed_origins": "https://shop.example"}`)},
			{"web prechat as a number", "config.prechat", web(`{"prechat": 5}`)},
			{"web prechat field unknown", "config.prechat[0].name", web(`{"prechat": [{"name": "phone"}]}`)},
			{"web prechat key unknown", "config.prechat[0].label", web(`{"prechat": [{"name": "email", "label": "Mail"}]}`)},
			{"web language unknown", "config.languages[0]", web(`{"languages": ["fr"]}`)},
			{"web colour name", "config.color", web(`{"color": "blue"}`)},
			{"web key misspelt", "config.allowed_origin", web(`{"allowed_origin": ["https://shop.example"]}`)},
			{"web greeting with NUL", "config.greeting", web(`{"greeting": "hi\u0000"}`)},
			{"web title on two lines", "config.title", web(`{"title": "a\nb"}`)},
			{"api with a setting", "config.webhook_url", desk.Channel{BotID: b.ID, Type: desk.ChannelAPI, Name: "c",
				Config: json.RawMessage(`{"webhook_url": "https://x.example"}`)}},
			{"whatsapp graph_url file scheme", "config.graph_url", wa(`"graph_url": "file:///etc/passwd"`)},
			{"whatsapp graph_url gopher", "config.graph_url", wa(`"graph_url": "gopher://x.example/"`)},
			{"whatsapp graph_url relative", "config.graph_url", wa(`"graph_url": "graph.facebook.com"`)},
			{"whatsapp key misspelt", "config.acess_token", wa(`"acess_token": "t"`)},
			{"whatsapp max_per_second as a string", "config.max_per_second", wa(`"max_per_second": "80"`)},
			{"whatsapp waba_id not digits", "config.waba_id", wa(`"waba_id": "../x"`)},
			{"whatsapp token with a line break", "config.access_token", wa(`"access_token": "a\nb"`)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.CreateChannel(ctx, tc.ch)
				wantInvalid(t, err, tc.field)
			})
		}
		if list, _ := s.ListChannels(ctx, nil); len(list) != 0 {
			t.Fatalf("a rejected channel was stored: %+v", list)
		}
	})
}

func TestUpdateChannelReplacesConfig(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b := fxBot(t, s, "Sales")
		c := fxChannel(t, s, b.ID, desk.ChannelWhatsApp, "WA")
		name, cfg := "WhatsApp BR", json.RawMessage(`{"phone_number_id":"999","graph_url":"http://127.0.0.1:9"}`)
		got, err := s.UpdateChannel(ctx, c.ID, store.ChannelPatch{Name: &name, Config: &cfg})
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != name || string(got.Config) != string(cfg) || got.Type != desk.ChannelWhatsApp {
			t.Fatalf("channel = %+v (config %s)", got, got.Config)
		}
		lost := json.RawMessage(`{"graph_url":"http://127.0.0.1:9"}`)
		_, err = s.UpdateChannel(ctx, c.ID, store.ChannelPatch{Config: &lost})
		wantInvalid(t, err, "config.phone_number_id")
		file := json.RawMessage(`{"phone_number_id":"999","graph_url":"file:///etc/passwd"}`)
		_, err = s.UpdateChannel(ctx, c.ID, store.ChannelPatch{Config: &file})
		wantInvalid(t, err, "config.graph_url")
		if kept, _ := s.GetChannel(ctx, c.ID); string(kept.Config) != string(cfg) {
			t.Fatalf("a refused config was stored: %s", kept.Config)
		}
		empty := ""
		_, err = s.UpdateChannel(ctx, c.ID, store.ChannelPatch{Name: &empty})
		wantInvalid(t, err, "name")
		_, err = s.UpdateChannel(ctx, "missing", store.ChannelPatch{Name: &name})
		wantCode(t, err, desk.CodeNotFound)
	})
}

func TestListChannelsScopesByBot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storetest.DB) {
		s, ctx := db.Store, context.Background()
		b1, b2 := fxBot(t, s, "Sales"), fxBot(t, s, "Support")
		web := fxChannel(t, s, b1.ID, desk.ChannelWeb, "Web")
		api := fxChannel(t, s, b1.ID, desk.ChannelAPI, "API")
		wa := fxChannel(t, s, b2.ID, desk.ChannelWhatsApp, "WhatsApp")
		for _, tc := range []struct {
			name string
			bots []string
			want []string
		}{
			{"all by name", nil, []string{api.ID, web.ID, wa.ID}},
			{"one bot", []string{b1.ID}, []string{api.ID, web.ID}},
			{"no bots", []string{}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				list, err := s.ListChannels(ctx, tc.bots)
				if err != nil {
					t.Fatal(err)
				}
				got := []string{}
				for _, c := range list {
					got = append(got, c.ID)
				}
				wantIDs(t, "channels", got, tc.want...)
			})
		}
	})
}
