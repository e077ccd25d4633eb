package ice_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/ice"
)

// The TURN REST credential matches a value computed outside Go:
// printf '1700000000:user-1' | openssl dgst -sha1 -hmac north -binary | base64
func TestCredentialIsTheTURNRESTScheme(t *testing.T) {
	user, pass := ice.Credential("north", "user-1", time.Unix(1700000000, 0))
	if user != "1700000000:user-1" || pass != "G86sOlIp58mcfrsDqnp1wtU2rII=" {
		t.Fatalf("got %q %q", user, pass)
	}
}

// With nothing configured and no relay: no servers (host candidates still
// work on one machine), policy all, and an expiry one TTL ahead.
func TestBuildWithNothingConfigured(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cfg := ice.Build(desk.ICESettings{}, nil, "u", now)
	if cfg.IceServers == nil || len(cfg.IceServers) != 0 || cfg.IceTransportPolicy != desk.IcePolicyAll || !cfg.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("got %+v", cfg)
	}
}

// The relay comes first with credentials made with its key; STUN has no
// credentials; a TURN secret makes per-caller credentials; a static pair
// is handed as it is; relay only sets the policy.
func TestBuildListsRelayStunTurn(t *testing.T) {
	now := time.Unix(1700000000, 0)
	set := desk.ICESettings{STUNURLs: []string{"stun:stun.example.com"}, TURNURLs: []string{"turn:turn.example.com:3478"},
		TURNSecret: "north", CredentialTTL: 600, RelayOnly: true}
	cfg := ice.Build(set, []string{"turn:127.0.0.1:3478?transport=udp"}, "user-1", now)
	if len(cfg.IceServers) != 3 || cfg.IceTransportPolicy != desk.IcePolicyRelay {
		t.Fatalf("got %+v", cfg)
	}
	wantUser, wantPass := ice.Credential("north", "user-1", now.Add(10*time.Minute))
	relay, stun, turn := cfg.IceServers[0], cfg.IceServers[1], cfg.IceServers[2]
	if relay.URLs[0] != "turn:127.0.0.1:3478?transport=udp" || relay.Username != wantUser || relay.Credential != wantPass {
		t.Errorf("relay %+v", relay)
	}
	if stun.Username != "" || stun.Credential != "" || stun.URLs[0] != "stun:stun.example.com" {
		t.Errorf("stun %+v", stun)
	}
	if turn.Username != wantUser || turn.Credential != wantPass {
		t.Errorf("turn %+v", turn)
	}
	static := ice.Build(desk.ICESettings{TURNURLs: []string{"turns:t.example.com"}, TURNUsername: "u", TURNPassword: "p", RelaySecret: "gen"}, nil, "x", now)
	if s := static.IceServers[0]; s.Username != "u" || s.Credential != "p" {
		t.Errorf("static %+v", s)
	}
}
