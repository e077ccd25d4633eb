package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/ice"
)

const turnSecret = "a-long-shared-secret"

// happyCallsICE walks GET /api/v1/calls/ice and the calls settings:
// nothing configured answers no servers and policy all.
func happyCallsICE(t *testing.T, w *world) {
	got := w.login(w.agent).get("/api/v1/calls/ice").want(200).obj()
	if s, ok := got["ice_servers"].([]any); !ok || len(s) != 0 || got["ice_transport_policy"] != "all" || got["expires_at"] == "" {
		t.Errorf("calls/ice %v", got)
	}
	a := w.adm()
	if got := a.get("/api/v1/settings/calls").want(200).obj(); got["credential_ttl"] != float64(3600) || got["relay_only"] != false {
		t.Errorf("settings/calls %v", got)
	}
	a.do("PATCH", "/api/v1/settings/calls", map[string]any{"stun_urls": []string{"stun:stun.example.com:3478"}}).want(200)
}

// Every signed-in role reads its ICE configuration; only admins read or
// change the settings behind it.
func TestCallsICEForEverySignedInUserSettingsForAdmins(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		for _, c := range []*client{w.login(w.agent), w.login(w.sup), w.adm()} {
			c.get("/api/v1/calls/ice").want(200)
		}
		w.anon().get("/api/v1/calls/ice").fails(401, "unauthenticated")
		for _, c := range []*client{w.login(w.agent), w.login(w.sup)} {
			c.get("/api/v1/settings/calls").fails(403, "forbidden")
			c.do("PATCH", "/api/v1/settings/calls", map[string]any{"relay_only": true}).fails(403, "forbidden")
		}
	})
}

// Saved settings reach /calls/ice: STUN, then TURN with credentials made
// for the caller's own id with the shared secret, policy relay, expiry one
// credential lifetime ahead.
func TestCallSettingsMakeEachUsersCredentials(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.adm().do("PATCH", "/api/v1/settings/calls", map[string]any{"stun_urls": []string{"stun:stun.example.com"},
			"turn_urls": []string{"turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349"}, "turn_secret": turnSecret,
			"credential_ttl": "15m", "relay_only": true}).want(200)
		var cfg struct {
			IceServers []struct {
				URLs       []string `json:"urls"`
				Username   string   `json:"username"`
				Credential string   `json:"credential"`
			} `json:"ice_servers"`
			Policy    string    `json:"ice_transport_policy"`
			ExpiresAt time.Time `json:"expires_at"`
		}
		w.login(w.agent).get("/api/v1/calls/ice").want(200).into(&cfg)
		if len(cfg.IceServers) != 2 || cfg.Policy != "relay" || cfg.IceServers[0].URLs[0] != "stun:stun.example.com" {
			t.Fatalf("got %+v", cfg)
		}
		if d := cfg.ExpiresAt.Sub(w.db.Store.Now()); d < 14*time.Minute || d > 15*time.Minute {
			t.Errorf("expires in %v, want 15m", d)
		}
		turn := cfg.IceServers[1]
		user, pass := ice.Credential(turnSecret, w.agent.ID, cfg.ExpiresAt)
		if turn.Username != user || turn.Credential != pass || !strings.HasSuffix(user, ":"+w.agent.ID) {
			t.Errorf("turn %+v, want %s", turn, user)
		}
	})
}

// Secrets read back as the mask; the mask (or leaving the field out)
// keeps the stored secret, "" clears it.
func TestCallSettingsSecretsAreMaskedAndKept(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		got := a.do("PATCH", "/api/v1/settings/calls", map[string]any{"turn_urls": []string{"turn:t.example.com"}, "turn_secret": turnSecret}).want(200).obj()
		if got["turn_secret"] != "********" || strings.Contains(string(a.get("/api/v1/settings/calls").want(200).Body), turnSecret) {
			t.Fatalf("secret read back: %v", got)
		}
		a.do("PATCH", "/api/v1/settings/calls", map[string]any{"turn_secret": "********", "relay_only": true}).want(200)
		a.do("PATCH", "/api/v1/settings/calls", map[string]any{"credential_ttl": 600}).want(200)
		set, err := w.db.Store.ICESettings(t.Context())
		if err != nil || set.TURNSecret != turnSecret || !set.RelayOnly {
			t.Fatalf("secret not kept: %+v %v", set, err)
		}
		// Switch to a static pair: clearing the secret is explicit.
		got = a.do("PATCH", "/api/v1/settings/calls", map[string]any{"turn_secret": "", "turn_username": "u", "turn_password": "p"}).want(200).obj()
		if got["turn_secret"] != "" || got["turn_password"] != "********" || got["turn_username"] != "u" {
			t.Fatalf("after switching: %v", got)
		}
	})
}

// Every refusal names its field with validation_failed and changes
// nothing.
func TestCallSettingsRefusals(t *testing.T) {
	cases := []struct {
		name, field string
		body        map[string]any
	}{
		{"turn in stun", "stun_urls", map[string]any{"stun_urls": []string{"turn:x.example.com"}}},
		{"http scheme", "stun_urls", map[string]any{"stun_urls": []string{"http://x.example.com"}}},
		{"stun query", "stun_urls", map[string]any{"stun_urls": []string{"stun:x.example.com?transport=udp"}}},
		{"no host", "stun_urls", map[string]any{"stun_urls": []string{"stun:"}}},
		{"bad host", "stun_urls", map[string]any{"stun_urls": []string{"stun:bad_host!"}}},
		{"port zero", "turn_urls", map[string]any{"turn_urls": []string{"turn:x.example.com:0"}, "turn_secret": turnSecret}},
		{"port word", "turn_urls", map[string]any{"turn_urls": []string{"turn:x.example.com:http"}, "turn_secret": turnSecret}},
		{"bad transport", "turn_urls", map[string]any{"turn_urls": []string{"turn:x.example.com?transport=sctp"}, "turn_secret": turnSecret}},
		{"other query", "turn_urls", map[string]any{"turn_urls": []string{"turn:x.example.com?x=1"}, "turn_secret": turnSecret}},
		{"stun in turn", "turn_urls", map[string]any{"turn_urls": []string{"stun:x.example.com"}, "turn_secret": turnSecret}},
		{"too many", "stun_urls", map[string]any{"stun_urls": strings.Split(strings.Repeat("stun:a.example.com,", 11)[:11*19-1], ",")}},
		{"turn without credentials", "turn_urls", map[string]any{"turn_urls": []string{"turn:x.example.com"}}},
		{"both styles", "turn_secret", map[string]any{"turn_urls": []string{"turn:x.example.com"}, "turn_secret": turnSecret, "turn_username": "u", "turn_password": "p"}},
		{"short secret", "turn_secret", map[string]any{"turn_urls": []string{"turn:x.example.com"}, "turn_secret": "short"}},
		{"user without password", "turn_password", map[string]any{"turn_urls": []string{"turn:x.example.com"}, "turn_username": "u"}},
		{"password without user", "turn_username", map[string]any{"turn_urls": []string{"turn:x.example.com"}, "turn_password": "p"}},
		{"control character", "turn_username", map[string]any{"turn_username": "u\n", "turn_password": "p"}},
		{"ttl too short", "credential_ttl", map[string]any{"credential_ttl": 599}},
		{"ttl too long", "credential_ttl", map[string]any{"credential_ttl": "25h"}},
	}
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		before := string(a.get("/api/v1/settings/calls").want(200).Body)
		for _, c := range cases {
			d := a.do("PATCH", "/api/v1/settings/calls", c.body).fails(422, "validation_failed")
			if d["field"] != c.field {
				t.Errorf("%s: details %v, want field %s", c.name, d, c.field)
			}
		}
		a.do("PATCH", "/api/v1/settings/calls", map[string]any{"credential_ttl": "ten minutes"}).fails(422, "validation_failed")
		if after := string(a.get("/api/v1/settings/calls").want(200).Body); after != before {
			t.Errorf("a refused change changed the settings:\n%s\n%s", before, after)
		}
	})
}
