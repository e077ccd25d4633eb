package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/widgetapi"
)

// Config is a web channel's settings (desk.Channel.Config), for example
//
//	{"title": "Acme", "greeting": "Hi! Ask us anything.", "color": "#2f6fed",
//	 "prechat": [{"name": "name", "required": true}, {"name": "email"}],
//	 "allowed_origins": ["https://shop.example"], "secret": "…",
//	 "languages": ["en", "es", "pt-BR"]}
//
// Its keys and their rules live in desk, where the store checks them when
// the channel is saved.
type Config struct {
	desk.WebConfig
}

// Languages the widget speaks, in the order offered by default.
var Languages = desk.WidgetLanguages

// ParseConfig reads a stored web channel's config. A config that does not
// parse is an error, not an empty config: an empty one would drop the
// allowed origins and open the channel to every site.
func ParseConfig(raw json.RawMessage) (Config, error) {
	c, err := desk.ParseWebConfig(raw, desk.Lenient)
	return Config{c}, err
}

// Public is what the widget may read of the channel: never the secret or
// the origins list.
// lang is the visitor's language: the language of the panel the widget
// shows (pickLang in web/widget/src/i18n.ts follows the same rule).
func (c Config) Public(ch desk.Channel, bot desk.Bot, lang string) widgetapi.WidgetConfig {
	greeting := c.Greeting
	if g := strings.TrimSpace(c.Greetings[lang]); g != "" {
		greeting = g
	}
	title := c.Title
	if strings.TrimSpace(title) == "" {
		title = bot.Name
	}
	calls := bot.Calls
	if calls.Mode == "" {
		calls.Mode = desk.CallsOff // a bot saved before calls existed
	}
	prechat := make([]widgetapi.WidgetField, len(c.Prechat))
	for i, f := range c.Prechat {
		prechat[i] = widgetapi.WidgetField{Name: f.Name, Required: f.Required}
	}
	return widgetapi.WidgetConfig{ChannelID: ch.ID, Name: title, Greeting: greeting, Color: c.Color, Prechat: prechat,
		Languages: c.Languages, IdentityVerification: c.Secret != "", Calls: calls}
}

// language is the visitor's language from the request's Accept-Language
// (the widget sends its panel's language there): the first the channel
// offers, else the channel's first.
func (c Config) language(r *http.Request) string {
	var prefs []string
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, q, _ := strings.Cut(part, ";")
		if tag = strings.TrimSpace(tag); tag != "" && tag != "*" && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			prefs = append(prefs, tag)
		}
	}
	if l := desk.PickLanguage(c.Languages, prefs); l != "" {
		return l
	}
	return c.Languages[0]
}

// required reports whether the pre-chat field name must be filled in.
func (c Config) required(name string) bool {
	for _, f := range c.Prechat {
		if f.Name == name {
			return f.Required
		}
	}
	return false
}

// normalOrigin turns "https://Shop.example/" into "https://shop.example";
// ok is false for anything that is not a bare http(s) origin.
func normalOrigin(s string) (string, bool) { return desk.NormalOrigin(s) }
