package whatsapp

import (
	"encoding/json"

	"github.com/relevo/relevo/internal/desk"
)

// DefaultGraphURL is Meta's Graph API at the version this package speaks.
const DefaultGraphURL = desk.DefaultGraphURL

// DefaultMaxPerSecond is Cloud API's default throughput per business number.
const DefaultMaxPerSecond = desk.DefaultMaxPerSecond

// Config is a WhatsApp channel's settings (the channel's config JSON); its
// keys and their rules live in desk, where the store checks them on save.
type Config struct {
	desk.WhatsAppConfig
}

// ParseConfig reads a stored channel's config. Fields needed only by some
// features (waba_id for templates, app_secret for webhooks) are checked
// where they are used, by Config.require.
func ParseConfig(raw json.RawMessage) (Config, error) {
	c, err := desk.ParseWhatsAppConfig(raw, desk.Lenient)
	return Config{c}, err
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

// digits is desk's check for Graph ids (wa_id, message ids).
func digits(s string) bool { return s != "" && desk.Digits(s) }
