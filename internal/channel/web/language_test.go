package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
	"github.com/relevo/relevo/internal/widgetapi"
)

// A Spanish-speaking visitor gets the channel's Spanish greeting and the
// bot's Spanish notices; a text the bot did not translate falls back to
// the default; other visitors get the defaults.
func TestGreetingAndNoticesInTheVisitorsLanguage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ch := storetest.NewSeed(t, e.s).Channel(desk.Channel{BotID: e.bot.ID, Type: desk.ChannelWeb, Name: "Multi",
			Config: json.RawMessage(`{"greeting":"Hello","greetings":{"es":"¡Hola!","pt-BR":""}}`)})
		es := desk.NoticeTexts{Queued: "Un agente te atenderá en breve.", Assigned: "Te atiende {agent}"}
		n := e.bot.Notices
		n.Translations = map[string]desk.NoticeTexts{"es": es}
		if _, err := e.s.UpdateBot(ctx, e.bot.ID, store.BotPatch{Notices: &n}); err != nil {
			t.Fatal(err)
		}

		for accept, want := range map[string]string{"es-MX,es;q=0.9": "¡Hola!", "en-US": "Hello", "pt-BR": "Hello", "fr, es;q=0.5": "¡Hola!", "fr": "Hello", "": "Hello"} {
			var c widgetapi.WidgetConfig
			r := e.do(call{method: "GET", path: "/widget/v1/channels/" + ch.ID + "/config", header: map[string]string{"Accept-Language": accept}}).want(200)
			r.decode(&c)
			if c.Greeting != want || !strings.Contains(r.Header.Get("Vary"), "Accept-Language") {
				t.Errorf("Accept-Language %q: greeting %q (Vary %q), want %q", accept, c.Greeting, r.Header.Get("Vary"), want)
			}
		}

		start := func(lang string) visitor {
			r := e.do(call{method: "POST", path: "/widget/v1/sessions", body: widgetapi.WidgetSessionRequest{ChannelID: ch.ID},
				header: map[string]string{"Accept-Language": lang}}).want(200)
			var out widgetapi.WidgetSessionResponse
			r.decode(&out)
			return visitor{e: e, token: out.Token, contactID: out.ContactID}
		}
		for lang, want := range map[string][]string{
			"es": {"Un agente te atenderá en breve.", "Te atiende Alice Agent", "Resolved"},
			"en": {"An agent will be with you shortly.", "You are being transferred to Agent Alice Agent", "Resolved"},
		} {
			v := start(lang)
			k, err := e.s.GetContact(ctx, v.contactID)
			if err != nil || k.Attributes[desk.LanguageAttribute] != lang {
				t.Fatalf("%s: contact %+v %v", lang, k, err)
			}
			m := v.say("1", "Hola")
			e.assignAndReply(m.ConversationID, "reply")
			if _, err := e.s.Resolve(ctx, desk.UserActor(e.agent), m.ConversationID); err != nil {
				t.Fatal(err)
			}
			e.drain()
			var notices []string
			for _, it := range v.messages("").Items {
				if it.Author.Type == desk.AuthorSystem {
					notices = append(notices, it.Text)
				}
			}
			if strings.Join(notices, "|") != strings.Join(want, "|") {
				t.Errorf("%s: notices %q, want %q", lang, notices, want)
			}
		}
	})
}

func TestPerLanguageTextsAreValidated(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		for _, cfg := range []string{`{"greetings":{"fr":"Salut"}}`, `{"greetings":"Hola"}`, `{"greetings":{"es":3}}`,
			`{"greetings":{"es":"` + strings.Repeat("a", 1001) + `"}}`, `{"greeting":["x"]}`} {
			_, err := e.s.CreateChannel(ctx, desk.Channel{BotID: e.bot.ID, Type: desk.ChannelWeb, Name: "Bad", Config: json.RawMessage(cfg)})
			if !isInvalid(err) {
				t.Errorf("config %.60s: %v", cfg, err)
			}
		}
		for _, tr := range []map[string]desk.NoticeTexts{{"fr": {Queued: "x"}}, {"es-MX": {Queued: "x"}}, {"es": {Queued: strings.Repeat("a", 1001)}}} {
			n := e.bot.Notices
			n.Translations = tr
			if _, err := e.s.UpdateBot(ctx, e.bot.ID, store.BotPatch{Notices: &n}); !isInvalid(err) {
				t.Errorf("translations %v: %v", tr, err)
			}
		}
	})
}

func isInvalid(err error) bool {
	var de *desk.Error
	return errors.As(err, &de) && de.Code == desk.CodeValidationFailed
}
