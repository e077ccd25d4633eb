package desk

import (
	"encoding/json"
	"testing"
)

// Strict (on save) refuses what lenient (on use) tolerates in a config
// stored before the checks; both refuse what cannot be read safely.
func TestChannelConfigModes(t *testing.T) {
	for _, tc := range []struct {
		typ           ChannelType
		cfg           string
		strict        string // the refused field, "" when accepted
		lenientRefuse bool
	}{
		{ChannelWeb, `{}`, "", false},
		{ChannelWeb, `{"title": "a\nb"}`, "config.title", false},
		{ChannelWeb, `{"theme": "dark"}`, "config.theme", false},
		{ChannelWeb, `{"languages": ["es", "xx"]}`, "config.languages[1]", false},
		{ChannelWeb, `{"languages": ["es", "es"]}`, "config.languages[1]", false},
		{ChannelWeb, `{"prechat": [{"name": "email"}, {"name": "email"}]}`, "config.prechat[1].name", false},
		{ChannelWeb, `{"color": "blue"}`, "config.color", false},
		{ChannelWeb, `{"allowed_origins": "https://shop.example"}`, "config.allowed_origins", true},
		{ChannelWeb, `{"allowed_origins": ["https://shop.example/path"]}`, "config.allowed_origins[0]", true},
		{ChannelWeb, `{"prechat": 5}`, "config.prechat", true},
		{ChannelWeb, `[]`, "config", true},
		{ChannelAPI, `{}`, "", false},
		{ChannelAPI, `{"x": 1}`, "config.x", false},
		{ChannelWhatsApp, `{"phone_number_id": "1"}`, "", false},
		{ChannelWhatsApp, `{"phone_number_id": 1}`, "config.phone_number_id", false},
		{ChannelWhatsApp, `{"phone_number_id": "1", "graph_url": "file:///etc/passwd"}`, "config.graph_url", true},
		{ChannelWhatsApp, `{"phone_number_id": "1", "graph_url": "https://g.example/v1?x=1"}`, "config.graph_url", true},
		{ChannelWhatsApp, `{"phone_number_id": "1", "access_token": "a b"}`, "config.access_token", true},
	} {
		err := CheckChannelConfig(tc.typ, json.RawMessage(tc.cfg), Strict)
		if tc.strict == "" && err != nil || tc.strict != "" && (ErrorCode(err) != CodeValidationFailed || err.(*Error).Details["field"] != tc.strict) {
			t.Errorf("%s %s strict: %v, want %q", tc.typ, tc.cfg, err, tc.strict)
		}
		if err := CheckChannelConfig(tc.typ, json.RawMessage(tc.cfg), Lenient); (err != nil) != tc.lenientRefuse {
			t.Errorf("%s %s lenient: %v", tc.typ, tc.cfg, err)
		}
	}
}

func TestCheckHTTPURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://bot.example.com/hook": true, "http://127.0.0.1:9/x": true,
		"file:///etc/passwd": false, "gopher://x.example/": false, "ftp://x.example/": false,
		"/hook": false, "bot.example.com": false, "https://": false, "javascript:alert(1)": false,
	} {
		if _, err := CheckHTTPURL("webhook_url", raw); (err == nil) != ok {
			t.Errorf("CheckHTTPURL(%q) = %v", raw, err)
		}
	}
}
