package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpapi"
)

// Config is a web channel's settings (desk.Channel.Config), for example
//
//	{"title": "Acme", "greeting": "Hi! Ask us anything.", "color": "#2f6fed",
//	 "prechat": [{"name": "name", "required": true}, {"name": "email"}],
//	 "allowed_origins": ["https://shop.example"], "secret": "…",
//	 "languages": ["en", "es", "pt-BR"]}
type Config struct {
	// Title heads the chat panel (default: the bot's name).
	Title    string `json:"title"`
	Greeting string `json:"greeting"`
	// Color is the launcher's and the panel's accent (#rgb or #rrggbb).
	Color string `json:"color"`
	// Prechat are the fields anonymous visitors fill in before chatting.
	Prechat []httpapi.WidgetField `json:"prechat"`
	// AllowedOrigins are the sites that may embed the widget and call its
	// routes ("https://shop.example"); empty allows any.
	AllowedOrigins []string `json:"allowed_origins"`
	// Secret verifies identified visitors: identifier_hash must be hex
	// HMAC-SHA256(secret, identifier). Without one, identifiers are refused.
	Secret    string   `json:"secret"`
	Languages []string `json:"languages"`
	// Greetings are the greeting in other languages ({"es": "¡Hola!"}),
	// shown to visitors whose panel speaks that language; Greeting is the
	// fallback.
	Greetings map[string]string `json:"greetings"`
}

// Languages the widget speaks, in the order offered by default.
var Languages = desk.CustomerLanguages

// prechatFields are the pre-chat fields a session can carry.
var prechatFields = map[string]bool{"name": true, "email": true}

var colorRE = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// defaultColor is the accent when the channel sets none.
const defaultColor = "#2f6fed"

// ParseConfig reads and normalises a web channel's config. A config that
// does not parse is an error, not an empty config: an empty one would drop
// the allowed origins and open the channel to every site.
func ParseConfig(raw json.RawMessage) (Config, error) {
	var c Config
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &c); err != nil {
			return Config{}, desk.Errorf(desk.CodeInternal, "this web channel's config is not valid: %v", err)
		}
	}
	var fields []httpapi.WidgetField
	seen := map[string]bool{}
	for _, f := range c.Prechat {
		if prechatFields[f.Name] && !seen[f.Name] {
			seen[f.Name] = true
			fields = append(fields, f)
		}
	}
	c.Prechat = fields
	origins := make([]string, 0, len(c.AllowedOrigins))
	for _, o := range c.AllowedOrigins {
		n, ok := normalOrigin(o)
		if !ok {
			return Config{}, desk.Errorf(desk.CodeInternal, "this web channel's allowed_origins has %q, not an origin like https://shop.example", o)
		}
		origins = append(origins, n)
	}
	c.AllowedOrigins = origins
	var langs []string
	for _, l := range c.Languages {
		for _, known := range Languages {
			if strings.EqualFold(l, known) {
				langs = append(langs, known)
			}
		}
	}
	if len(langs) == 0 {
		langs = Languages
	}
	c.Languages = langs
	// Greetings are checked when the channel is saved (store.checkChannel);
	// one of a language the widget does not speak is never shown.
	for l := range c.Greetings {
		if desk.CustomerLanguage(l) != l {
			delete(c.Greetings, l)
		}
	}
	if !colorRE.MatchString(c.Color) {
		c.Color = defaultColor
	}
	return c, nil
}

// Public is what the widget may read of the channel: never the secret or
// the origins list.
// lang is the visitor's language: the language of the panel the widget
// shows (pickLang in web/widget/src/i18n.ts follows the same rule).
func (c Config) Public(ch desk.Channel, botName, lang string) httpapi.WidgetConfig {
	greeting := c.Greeting
	if g := strings.TrimSpace(c.Greetings[lang]); g != "" {
		greeting = g
	}
	title := c.Title
	if strings.TrimSpace(title) == "" {
		title = botName
	}
	prechat := c.Prechat
	if prechat == nil {
		prechat = []httpapi.WidgetField{}
	}
	return httpapi.WidgetConfig{ChannelID: ch.ID, Name: title, Greeting: greeting, Color: c.Color, Prechat: prechat,
		Languages: c.Languages, IdentityVerification: c.Secret != ""}
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
func normalOrigin(s string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), true
}
