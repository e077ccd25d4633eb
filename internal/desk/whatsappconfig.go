package desk

import (
	"bytes"
	"encoding/json"
	"strings"
)

// DefaultGraphURL is Meta's Graph API at the version Relevo speaks.
const DefaultGraphURL = "https://graph.facebook.com/v21.0"

// DefaultMaxPerSecond is Cloud API's default throughput per business number.
const DefaultMaxPerSecond = 80

// WhatsAppConfig is a WhatsApp channel's settings (docs/whatsapp.md).
type WhatsAppConfig struct {
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
	// MaxPerSecond bounds sends from this number in one process.
	MaxPerSecond float64
}

var whatsappKeys = []string{"access_token", "app_secret", "graph_url", "max_per_second", "phone_number_id", "verify_token", "waba_id"}

// ParseWhatsAppConfig reads a WhatsApp channel's config (the modes are
// described in channelconfig.go). Fields only some features need
// (waba_id for templates, app_secret for webhooks) may be empty.
func ParseWhatsAppConfig(raw json.RawMessage, mode ChannelMode) (WhatsAppConfig, error) {
	var c WhatsAppConfig
	obj, err := configObject("config", raw, whatsappKeys, mode)
	if err != nil {
		return c, err
	}
	// Ids go into URL paths: digits only, so nothing can steer a request.
	if c.PhoneNumberID, err = obj.id("phone_number_id", mode); err != nil || c.PhoneNumberID == "" {
		return c, Invalid("config.phone_number_id", "required: the number's Graph id (digits, as a string)")
	}
	if c.WABAID, err = obj.id("waba_id", mode); err != nil {
		return c, Invalid("config.waba_id", "must be the WhatsApp Business Account id (digits, as a string)")
	}
	for _, f := range []struct {
		key string
		v   *string
	}{{"access_token", &c.AccessToken}, {"app_secret", &c.AppSecret}, {"verify_token", &c.VerifyToken}, {"graph_url", &c.GraphURL}} {
		if *f.v, err = obj.line(f.key, 2000); err != nil {
			return c, err
		}
	}
	c.AccessToken, c.AppSecret = strings.TrimSpace(c.AccessToken), strings.TrimSpace(c.AppSecret)
	if strings.ContainsAny(c.AccessToken, " \r\n") { // a header value: refused in both modes
		return c, Invalid("config.access_token", "must be a single token without spaces")
	}
	c.GraphURL = strings.TrimRight(strings.TrimSpace(c.GraphURL), "/")
	if c.GraphURL == "" {
		c.GraphURL = DefaultGraphURL
	}
	if u, err := CheckHTTPURL("config.graph_url", c.GraphURL); err != nil {
		return c, err
	} else if u.RawQuery != "" || u.Fragment != "" {
		return c, Invalid("config.graph_url", "must be a base URL such as %s, without query or fragment", DefaultGraphURL)
	}
	if err := obj.value("max_per_second", &c.MaxPerSecond, "a number"); err != nil {
		return c, err
	}
	switch {
	case c.MaxPerSecond == 0:
		c.MaxPerSecond = DefaultMaxPerSecond
	case c.MaxPerSecond < 0 || c.MaxPerSecond > 1000:
		return c, Invalid("config.max_per_second", "must be between 0 (default %d) and 1000", DefaultMaxPerSecond)
	}
	return c, nil
}

// id reads a Graph id: "" when absent, an error when it is not digits. A
// string when saved (a JSON number loses digits in JavaScript clients); a
// number stored before that rule is still read.
func (o configObj) id(key string, mode ChannelMode) (string, error) {
	v := bytes.TrimSpace(o.m[key])
	var s string
	if len(v) > 0 && v[0] != '"' && string(v) != "null" {
		if mode == Strict {
			return "", Invalid(o.path+"."+key, "must be a string")
		}
		var n json.Number
		if err := json.Unmarshal(v, &n); err != nil {
			return "", err
		}
		s = n.String()
	} else if err := o.value(key, &s, "a string"); err != nil {
		return "", err
	}
	s = strings.TrimSpace(s)
	if s != "" && !Digits(s) {
		return "", Invalid(o.path+"."+key, "must be digits")
	}
	return s, nil
}

// Digits reports whether s is at most 32 ASCII digits (a Graph id).
func Digits(s string) bool {
	if len(s) > 32 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
