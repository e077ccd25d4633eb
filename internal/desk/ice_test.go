package desk_test

import (
	"testing"

	"github.com/relevo/relevo/internal/desk"
)

// The URLs browsers take are accepted: names and IPs (v6 in brackets),
// with or without a port, TURN with a transport.
func TestCheckICESettingsAcceptsRealURLs(t *testing.T) {
	s := desk.ICESettings{
		STUNURLs:   []string{"stun:stun.example.com", "stun:stun.l.example.com:19302", "stuns:203.0.113.7:5349", "stun:[2001:db8::1]:3478"},
		TURNURLs:   []string{"turn:turn.example.com:3478?transport=udp", "turn:turn.example.com:3478?transport=tcp", "turns:turn.example.com:5349", "turn:[::1]"},
		TURNSecret: "sixteen-chars-ok",
	}
	if err := desk.CheckICESettings(&s); err != nil {
		t.Fatal(err)
	}
	if s.CredentialTTL != 3600 {
		t.Errorf("an unset lifetime is the default hour, got %d", s.CredentialTTL)
	}
}

// The channel secrets' rule for one field: absent or the mask keeps, ""
// clears, anything else replaces; a set secret reads as the mask.
func TestKeepSecretAndMask(t *testing.T) {
	mask, empty, other := desk.ChannelSecretMask, "", "new"
	for _, c := range []struct {
		sent *string
		want string
	}{{nil, "old"}, {&mask, "old"}, {&empty, ""}, {&other, "new"}} {
		if got := desk.KeepSecret("old", c.sent); got != c.want {
			t.Errorf("KeepSecret(old, %v) = %q, want %q", c.sent, got, c.want)
		}
	}
	if desk.MaskSecret("x") != mask || desk.MaskSecret("") != "" {
		t.Error("MaskSecret")
	}
}
