package desk

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Channel configs. Every channel type has its config's keys and types
// here, checked in two modes:
//
//   - strict, when an admin saves a channel: an unknown key (a typo would
//     otherwise silently do nothing), a value of the wrong type, an unknown
//     language or pre-chat field, a bad colour or URL are refused with
//     validation_failed and the JSON path in details.field
//     ("config.allowed_origins[0]").
//   - lenient, when a channel is used: a config stored before these checks
//     keeps working as it did (unknown keys and values ignored, a bad
//     colour replaced by the default), but what cannot be read safely (a
//     wrong type, an origin that is not one) is still an error, which the
//     channel answers as channel_misconfigured.

// ChannelMode says how strictly a config is read.
type ChannelMode bool

// The two modes.
const (
	Lenient ChannelMode = false
	Strict  ChannelMode = true
)

// CheckChannelConfig checks raw (an object, or empty) as a config of type t.
func CheckChannelConfig(t ChannelType, raw json.RawMessage, mode ChannelMode) error {
	var err error
	switch t {
	case ChannelWeb:
		_, err = ParseWebConfig(raw, mode)
	case ChannelWhatsApp:
		_, err = ParseWhatsAppConfig(raw, mode)
	case ChannelAPI:
		_, err = configObject("config", raw, nil, mode) // the API channel has no settings
	default:
		err = Invalid("type", "must be web, whatsapp or api")
	}
	return err
}

// configObj is a config object being read, at a JSON path ("config",
// "config.prechat[0]") that every error names.
type configObj struct {
	path string
	m    map[string]json.RawMessage
	mode ChannelMode
}

// configObject reads raw as a JSON object at path; in strict mode any key
// not in known is refused.
func configObject(path string, raw json.RawMessage, known []string, mode ChannelMode) (configObj, error) {
	o := configObj{path: path, m: map[string]json.RawMessage{}, mode: mode}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return o, nil
	}
	if raw[0] != '{' || json.Unmarshal(raw, &o.m) != nil {
		return o, Invalid(path, "must be a JSON object")
	}
	if mode == Strict {
		keys := make([]string, 0, len(o.m))
		for k := range o.m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !slices.Contains(known, k) {
				if len(known) == 0 {
					return o, Invalid(path+"."+k, "unknown key: this channel type has no settings")
				}
				return o, Invalid(path+"."+k, "unknown key (known: %s)", strings.Join(known, ", "))
			}
		}
	}
	return o, nil
}

// value decodes the key's value into dst when present; a JSON null counts
// as absent. A value of the wrong type is refused in both modes.
func (o configObj) value(key string, dst any, want string) error {
	v, ok := o.m[key]
	if !ok || string(v) == "null" {
		return nil
	}
	if json.Unmarshal(v, dst) != nil {
		return Invalid(o.path+"."+key, "must be %s", want)
	}
	return nil
}

// line reads a one-line string setting of at most max bytes (checked when
// saved: a stored value was shown as it was).
func (o configObj) line(key string, max int) (string, error) {
	var s string
	if err := o.value(key, &s, "a string"); err != nil || o.mode == Lenient {
		return s, err
	}
	if err := CheckLine(o.path+"."+key, s); err != nil {
		return "", err
	}
	if len(s) > max {
		return "", Invalid(o.path+"."+key, "at most %d bytes", max)
	}
	return s, nil
}

// text reads a multi-line string setting of at most max bytes (checked
// when saved, like line).
func (o configObj) text(key string, max int) (string, error) {
	var s string
	if err := o.value(key, &s, "a string"); err != nil || o.mode == Lenient {
		return s, err
	}
	s, err := CleanText(o.path+"."+key, s)
	if err == nil && len(s) > max {
		err = Invalid(o.path+"."+key, "at most %d bytes", max)
	}
	return s, err
}

// CheckHTTPURL refuses anything but an absolute http or https URL with a
// host: where the server itself sends requests (a bot's webhook_url, a
// WhatsApp channel's graph_url), file:, gopher: and friends have no place.
func CheckHTTPURL(field, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > 2000 {
		return nil, Invalid(field, "must be an absolute http or https URL")
	}
	return u, nil
}

// PrechatField is one field of a web channel's pre-chat form.
type PrechatField struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
}

// WebConfig is a web channel's settings (docs/widget.md).
type WebConfig struct {
	Title          string
	Greeting       string
	Color          string // #rgb or #rrggbb; the default when unset
	Prechat        []PrechatField
	AllowedOrigins []string // normalised: "https://shop.example"
	Secret         string
	Languages      []string // never empty
	// Greetings are the greeting in the customer's languages ({"es":
	// "¡Hola!"}); Greeting is the fallback.
	Greetings map[string]string
}

// WidgetLanguages are the languages the widget speaks, in the order
// offered by default.
var WidgetLanguages = CustomerLanguages

// DefaultWidgetColor is the widget's accent when the channel sets none.
const DefaultWidgetColor = "#2f6fed"

var (
	webKeys    = []string{"allowed_origins", "color", "greeting", "greetings", "languages", "prechat", "secret", "title"}
	prechatOK  = []string{"name", "email"}
	colorRE    = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
	maxSetting = 1000
)

// ParseWebConfig reads a web channel's config (see the modes above).
func ParseWebConfig(raw json.RawMessage, mode ChannelMode) (WebConfig, error) {
	var c WebConfig
	obj, err := configObject("config", raw, webKeys, mode)
	if err != nil {
		return c, err
	}
	if c.Title, err = obj.line("title", 200); err != nil {
		return c, err
	}
	if c.Secret, err = obj.line("secret", 200); err != nil {
		return c, err
	}
	if c.Color, err = obj.line("color", 7); err != nil {
		return c, err
	}
	if !colorRE.MatchString(c.Color) {
		if mode == Strict && c.Color != "" {
			return c, Invalid("config.color", "must be #rgb or #rrggbb")
		}
		c.Color = DefaultWidgetColor
	}
	if c.Greeting, err = obj.text("greeting", maxSetting); err != nil {
		return c, err
	}
	if c.Greetings, err = webGreetings(obj, mode); err != nil {
		return c, err
	}
	if c.Prechat, err = webPrechat(obj, mode); err != nil {
		return c, err
	}
	var origins []string
	if err := obj.value("allowed_origins", &origins, "a list of origins such as [\"https://shop.example\"]"); err != nil {
		return c, err
	}
	for i, o := range origins {
		n, ok := NormalOrigin(o)
		if !ok {
			return c, Invalid("config.allowed_origins["+strconv.Itoa(i)+"]", "must be an origin such as https://shop.example (scheme and host, no path)")
		}
		c.AllowedOrigins = append(c.AllowedOrigins, n)
	}
	var langs []string
	if err := obj.value("languages", &langs, "a list of language codes"); err != nil {
		return c, err
	}
	for i, l := range langs {
		k := slices.IndexFunc(WidgetLanguages, func(known string) bool { return strings.EqualFold(l, known) })
		switch {
		case k >= 0 && !slices.Contains(c.Languages, WidgetLanguages[k]):
			c.Languages = append(c.Languages, WidgetLanguages[k])
		case mode == Strict:
			return c, Invalid("config.languages["+strconv.Itoa(i)+"]", "must be one of %s, once", strings.Join(WidgetLanguages, ", "))
		}
	}
	if len(c.Languages) == 0 {
		c.Languages = WidgetLanguages
	}
	return c, nil
}

// webGreetings reads the greeting per customer language; one in a
// language the widget does not speak is refused on save and never shown.
func webGreetings(obj configObj, mode ChannelMode) (map[string]string, error) {
	var in map[string]string
	if err := obj.value("greetings", &in, `an object of texts by language such as {"es": "¡Hola!"}`); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for lang, g := range in {
		if CustomerLanguage(lang) != lang {
			if mode == Strict {
				return nil, Invalid("config.greetings."+lang, "must be one of %s", strings.Join(CustomerLanguages, ", "))
			}
			continue
		}
		sub := configObj{path: "config.greetings", m: map[string]json.RawMessage{}, mode: mode}
		sub.m[lang], _ = json.Marshal(g)
		text, err := sub.text(lang, maxSetting)
		if err != nil {
			return nil, err
		}
		out[lang] = text
	}
	return out, nil
}

// webPrechat reads the pre-chat form: name and email, each at most once.
func webPrechat(obj configObj, mode ChannelMode) ([]PrechatField, error) {
	var items []json.RawMessage
	if err := obj.value("prechat", &items, `a list of fields such as [{"name": "name", "required": true}]`); err != nil {
		return nil, err
	}
	var out []PrechatField
	for i, item := range items {
		f, err := configObject("config.prechat["+strconv.Itoa(i)+"]", item, []string{"name", "required"}, mode)
		if err != nil {
			return nil, err
		}
		var pf PrechatField
		if err := f.value("name", &pf.Name, "a string"); err != nil {
			return nil, err
		}
		if err := f.value("required", &pf.Required, "true or false"); err != nil {
			return nil, err
		}
		dup := slices.ContainsFunc(out, func(o PrechatField) bool { return o.Name == pf.Name })
		switch {
		case slices.Contains(prechatOK, pf.Name) && !dup:
			out = append(out, pf)
		case mode == Strict:
			return nil, Invalid(f.path+".name", "must be name or email, once each")
		}
	}
	return out, nil
}

// NormalOrigin turns "https://Shop.example/" into "https://shop.example";
// ok is false for anything that is not a bare http(s) origin.
func NormalOrigin(s string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || CheckLine("origin", s) != nil {
		return "", false
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), true
}
