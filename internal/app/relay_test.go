package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/pion/logging"
	"github.com/pion/turn/v4"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/ice"
)

// The relay's flags and their RELEVO_ twins; off unless --turn-listen.
func TestParseRelayFlags(t *testing.T) {
	env := map[string]string{"RELEVO_TURN_LISTEN": "0.0.0.0:3478", "RELEVO_TURN_PUBLIC_IP": "203.0.113.7",
		"RELEVO_TURN_REALM": "acme", "RELEVO_TURN_RELAY_PORTS": "50000-50100"}
	cfg, err := app.ParseFlags(nil, func(k string) string { return env[k] })
	want := app.RelayFlags{Listen: "0.0.0.0:3478", PublicIP: "203.0.113.7", Realm: "acme", MinPort: 50000, MaxPort: 50100}
	if err != nil || cfg.Relay != want {
		t.Fatalf("from the environment %+v (%v), want %+v", cfg.Relay, err, want)
	}
	cfg, err = app.ParseFlags([]string{"--turn-listen", "127.0.0.1:3479", "--turn-public-ip", "::1"}, func(string) string { return "" })
	if err != nil || cfg.Relay.Realm != "relevo" || cfg.Relay.MinPort != 49152 || cfg.Relay.MaxPort != 65535 {
		t.Fatalf("defaults %+v (%v)", cfg.Relay, err)
	}
	for _, args := range [][]string{
		{"--turn-listen", "3478", "--turn-public-ip", "203.0.113.7"},
		{"--turn-listen", "0.0.0.0:3478"},
		{"--turn-listen", "0.0.0.0:3478", "--turn-public-ip", "relay.example.com"},
		{"--turn-listen", "0.0.0.0:3478", "--turn-public-ip", "0.0.0.0"},
		{"--turn-listen", "0.0.0.0:3478", "--turn-public-ip", "203.0.113.7", "--turn-relay-ports", "50000"},
		{"--turn-listen", "0.0.0.0:3478", "--turn-public-ip", "203.0.113.7", "--turn-relay-ports", "60000-50000"},
		{"--turn-listen", "0.0.0.0:3478", "--turn-public-ip", "203.0.113.7", "--turn-relay-ports", "80-90"},
		{"--turn-listen", "0.0.0.0:3478", "--turn-public-ip", "203.0.113.7", "--turn-realm", "two words"},
	} {
		if _, err := app.ParseFlags(args, func(string) string { return "" }); err == nil {
			t.Errorf("ParseFlags(%q) accepted", args)
		}
	}
}

// A browser's view of the relay: the credentials GET /api/v1/calls/ice
// answers allocate a relayed address on the built-in relay, and a packet
// goes through it to a peer's real UDP socket and back. A wrong password
// and an expired username are refused.
func TestRelayCarriesPacketsWithTheCredentialsOfCallsICE(t *testing.T) {
	a := open(t, app.Config{DataDir: t.TempDir(), AdminEmail: "boss@example.com", AdminPassword: "boss-password-1",
		Relay: app.RelayFlags{Listen: "127.0.0.1:0", PublicIP: "127.0.0.1", Realm: "relevo", MinPort: 49152, MaxPort: 65535}})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	body, _ := json.Marshal(map[string]string{"email": "boss@example.com", "password": "boss-password-1"})
	if res, err := c.Post(a.URL()+"/api/v1/auth/login", "application/json", bytes.NewReader(body)); err != nil || res.StatusCode != 200 {
		t.Fatalf("login: %v %v", res, err)
	}
	status, raw := get(t, c, a.URL()+"/api/v1/calls/ice")
	var cfg desk.IceConfig
	if err := json.Unmarshal([]byte(raw), &cfg); status != 200 || err != nil || len(cfg.IceServers) == 0 {
		t.Fatalf("calls/ice %d %s", status, raw)
	}
	relay := cfg.IceServers[0]
	if len(relay.URLs) != 2 || !strings.HasSuffix(relay.URLs[0], "?transport=udp") || !strings.HasSuffix(relay.URLs[1], "?transport=tcp") {
		t.Fatalf("the relay is not listed first, udp and tcp: %+v", cfg.IceServers)
	}
	addr := strings.TrimSuffix(strings.TrimPrefix(relay.URLs[0], "turn:"), "?transport=udp")

	relayed := allocate(t, addr, relay.Username, relay.Credential)
	peer, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	if _, err := relayed.WriteTo([]byte("hello peer"), peer.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1500)
	_ = peer.SetReadDeadline(time.Now().Add(20 * time.Second)) // a guard: the packet is expected at once
	n, from, err := peer.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "hello peer" || from.String() != relayed.LocalAddr().String() {
		t.Fatalf("peer got %q from %v (%v), want from the relayed address %v", buf[:n], from, err, relayed.LocalAddr())
	}
	if _, err := peer.WriteTo([]byte("hello back"), from); err != nil {
		t.Fatal(err)
	}
	_ = relayed.SetReadDeadline(time.Now().Add(20 * time.Second))
	if n, _, err = relayed.ReadFrom(buf); err != nil || string(buf[:n]) != "hello back" {
		t.Fatalf("back through the relay: %q (%v)", buf[:n], err)
	}

	// Refusals: the wrong password, and a well-signed but expired name.
	if err := tryAllocate(t, addr, relay.Username, "d3JvbmcgcGFzc3dvcmQ="); err == nil {
		t.Error("a wrong credential allocated a relay")
	}
	set, err := a.Store.ICESettings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	user, pass := ice.Credential(set.RelayKey(), "someone", a.Clock.Now().Add(-time.Minute))
	if err := tryAllocate(t, addr, user, pass); err == nil {
		t.Error("an expired credential allocated a relay")
	}
	user, pass = ice.Credential(set.RelayKey(), "someone", a.Clock.Now().Add(time.Minute))
	if err := tryAllocate(t, addr, user, pass); err != nil {
		t.Errorf("the same key with a future expiry was refused: %v", err)
	}
}

func turnClient(t *testing.T, addr, user, pass string) *turn.Client {
	t.Helper()
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	quiet := &logging.DefaultLoggerFactory{Writer: io.Discard}
	cl, err := turn.NewClient(&turn.ClientConfig{TURNServerAddr: addr, STUNServerAddr: addr, Username: user, Password: pass,
		Realm: "relevo", Conn: conn, LoggerFactory: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	if err := cl.Listen(); err != nil {
		t.Fatal(err)
	}
	return cl
}

func allocate(t *testing.T, addr, user, pass string) net.PacketConn {
	t.Helper()
	cl := turnClient(t, addr, user, pass)
	relayed, err := cl.Allocate()
	if err != nil {
		t.Fatalf("allocate with the calls/ice credentials: %v", err)
	}
	t.Cleanup(func() { relayed.Close() })
	return relayed
}

func tryAllocate(t *testing.T, addr, user, pass string) error {
	t.Helper()
	relayed, err := turnClient(t, addr, user, pass).Allocate()
	if err == nil {
		relayed.Close()
	}
	return err
}
