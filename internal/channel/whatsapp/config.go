package whatsapp

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/relevo/relevo/internal/desk"
)

// DefaultGraphURL is Meta's Graph API at the version this package speaks.
const DefaultGraphURL = "https://graph.facebook.com/v21.0"

// DefaultMaxPerSecond is Cloud API's default throughput per business number.
const DefaultMaxPerSecond = 80

// Config is a WhatsApp channel's settings (the channel's config JSON).
type Config struct {
	// PhoneNumberID is the business number's Graph id (not the number).
	PhoneNumberID string
	// WABAID is the WhatsApp Business Account id; template sync needs it.
	WABAID string
	// AccessToken is the system user token sent as Bearer to the Graph API.
	AccessToken string
	// AppSecret signs webhooks (X-Hub-Signature-256).
	AppSecret string
	// VerifyToken is the admin-chosen secret of the verification handshake.
	VerifyToken string
	// GraphURL is where Graph API calls go, without a trailing slash.
	GraphURL string
	// MaxPerSecond bounds sends from this number in this process.
	MaxPerSecond float64
}

// wireConfig is the stored shape; ids may have been typed in as numbers.
type wireConfig struct {
	PhoneNumberID idString `json:"phone_number_id"`
	WABAID        idString `json:"waba_id"`
	AccessToken   string   `json:"access_token"`
	AppSecret     string   `json:"app_secret"`
	VerifyToken   string   `json:"verify_token"`
	GraphURL      string   `json:"graph_url"`
	MaxPerSecond  float64  `json:"max_per_second"`
}

// idString accepts a JSON string or number: Graph ids are digits, and
// admins paste them either way.
type idString string

func (s *idString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] != '"' && string(b) != "null" {
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*s = idString(n.String())
		return nil
	}
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = idString(v)
	return nil
}

// ParseConfig reads and checks a channel's config. Fields needed only by
// some features (waba_id for templates, app_secret for webhooks) are
// checked where they are used, by Config.require.
func ParseConfig(raw json.RawMessage) (Config, error) {
	var w wireConfig
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &w); err != nil {
			return Config{}, desk.Invalid("config", "not a valid WhatsApp config: %v", err)
		}
	}
	c := Config{
		PhoneNumberID: strings.TrimSpace(string(w.PhoneNumberID)),
		WABAID:        strings.TrimSpace(string(w.WABAID)),
		AccessToken:   strings.TrimSpace(w.AccessToken),
		AppSecret:     strings.TrimSpace(w.AppSecret),
		VerifyToken:   w.VerifyToken,
		GraphURL:      strings.TrimRight(strings.TrimSpace(w.GraphURL), "/"),
		MaxPerSecond:  w.MaxPerSecond,
	}
	// Ids go into URL paths: digits only, so nothing can steer a request.
	if !digits(c.PhoneNumberID) {
		return Config{}, desk.Invalid("config.phone_number_id", "required: the number's Graph id (digits)")
	}
	if c.WABAID != "" && !digits(c.WABAID) {
		return Config{}, desk.Invalid("config.waba_id", "must be the WhatsApp Business Account id (digits)")
	}
	if c.GraphURL == "" {
		c.GraphURL = DefaultGraphURL
	}
	u, err := url.Parse(c.GraphURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return Config{}, desk.Invalid("config.graph_url", "must be an absolute http(s) URL such as %s", DefaultGraphURL)
	}
	switch {
	case c.MaxPerSecond == 0:
		c.MaxPerSecond = DefaultMaxPerSecond
	case c.MaxPerSecond < 0 || c.MaxPerSecond > 1000:
		return Config{}, desk.Invalid("config.max_per_second", "must be between 0 (default %d) and 1000", DefaultMaxPerSecond)
	}
	if strings.ContainsAny(c.AccessToken, " \r\n") {
		return Config{}, desk.Invalid("config.access_token", "must be a single token without spaces")
	}
	return c, nil
}

// require checks that the fields a feature needs are set.
func (c Config) require(fields ...string) error {
	for _, f := range fields {
		var v string
		switch f {
		case "access_token":
			v = c.AccessToken
		case "app_secret":
			v = c.AppSecret
		case "verify_token":
			v = c.VerifyToken
		case "waba_id":
			v = c.WABAID
		}
		if v == "" {
			return desk.Invalid("config."+f, "required for this WhatsApp feature; set it on the channel")
		}
	}
	return nil
}

func digits(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
