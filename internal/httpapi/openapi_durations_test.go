package httpapi

import (
	"encoding/json"
	"testing"
)

// A duration is integer | string where the API takes it and an integer
// (whole seconds) where it answers it.
func TestOpenAPIDurations(t *testing.T) {
	s, err := New(Config{Version: "dev"}, Deps{})
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(s.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	schemas := get(t, doc, "components", "schemas")
	const taken = `{"oneOf":[{"type":"integer"},{"type":"string"},{"type":"null"}]}`
	for _, tc := range []struct{ schema, prop, want string }{
		{"NewBotRequest", "auto_close_after", taken},
		{"BotRequest", "auto_close_after", taken},
		{"MonitorPreferencesRequest", "waiting_threshold_seconds", taken},
		{"Bot", "auto_close_after", `{"type":"integer"}`},
		{"MonitorPreferences", "waiting_threshold_seconds", `{"type":"integer"}`},
	} {
		if got, _ := json.Marshal(get(t, schemas, tc.schema, "properties", tc.prop)); string(got) != tc.want {
			t.Errorf("%s.%s = %s, want %s", tc.schema, tc.prop, got, tc.want)
		}
	}
	params, _ := get(t, doc, "paths", "/api/v1/monitor/health", "get", "parameters").([]any)
	found := false
	for _, p := range params {
		if p := p.(map[string]any); p["name"] == "threshold" {
			found = true
			if got, _ := json.Marshal(p["schema"]); string(got) != `{"oneOf":[{"type":"integer"},{"type":"string"}]}` {
				t.Errorf("?threshold= schema %s", got)
			}
		}
	}
	if !found {
		t.Error("?threshold= is not documented")
	}
}
