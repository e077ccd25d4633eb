package ice

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/pion/logging"
	"github.com/pion/turn/v4"
)

// RelayConfig is Relevo's own TURN relay (relevo serve --turn-listen).
type RelayConfig struct {
	// Listen is the host:port the relay takes on UDP and on TCP.
	Listen string
	// PublicIP is the address browsers reach the relay at; relayed
	// addresses are announced with it.
	PublicIP net.IP
	Realm    string
	// MinPort and MaxPort bound the UDP ports relayed allocations take.
	MinPort, MaxPort uint16
	// Key is the current secret credentials are checked with, read on
	// every allocation so a changed setting applies at once on all nodes.
	Key func(context.Context) (string, error)
	Now func() time.Time
	Log *slog.Logger
}

// Relay is a running TURN server.
type Relay struct {
	server *turn.Server
	urls   []string
}

// StartRelay listens on UDP and TCP and serves allocations to holders of
// TURN REST credentials made with the key (Credential).
func StartRelay(cfg RelayConfig) (*Relay, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.PublicIP == nil || cfg.Key == nil || cfg.MinPort == 0 || cfg.MaxPort < cfg.MinPort {
		return nil, errors.New("ice: relay: public IP, key and a port range are required")
	}
	host, _, err := net.SplitHostPort(cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("ice: relay: listen address: %w", err)
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "0.0.0.0"
	}
	udp, err := net.ListenPacket("udp", cfg.Listen) //nolint:noctx // a listener for the life of the server
	if err != nil {
		return nil, fmt.Errorf("ice: relay: %w", err)
	}
	// TCP on the port UDP got, so ":0" (tests) yields one port for both.
	port := udp.LocalAddr().(*net.UDPAddr).Port
	tcp, err := net.Listen("tcp", net.JoinHostPort(hostOf(cfg.Listen), strconv.Itoa(port))) //nolint:noctx
	if err != nil {
		_ = udp.Close()
		return nil, fmt.Errorf("ice: relay: %w", err)
	}
	gen := func() turn.RelayAddressGenerator {
		return &turn.RelayAddressGeneratorPortRange{RelayAddress: cfg.PublicIP, Address: host, MinPort: cfg.MinPort, MaxPort: cfg.MaxPort}
	}
	srv, err := turn.NewServer(turn.ServerConfig{
		Realm:             cfg.Realm,
		AuthHandler:       authHandler(cfg),
		PacketConnConfigs: []turn.PacketConnConfig{{PacketConn: udp, RelayAddressGenerator: gen()}},
		ListenerConfigs:   []turn.ListenerConfig{{Listener: tcp, RelayAddressGenerator: gen()}},
		LoggerFactory:     &logging.DefaultLoggerFactory{Writer: logWriter{cfg.Log}, DefaultLogLevel: logging.LogLevelWarn},
	})
	if err != nil {
		_, _ = udp.Close(), tcp.Close()
		return nil, fmt.Errorf("ice: relay: %w", err)
	}
	hp := net.JoinHostPort(cfg.PublicIP.String(), strconv.Itoa(port))
	return &Relay{server: srv, urls: []string{"turn:" + hp + "?transport=udp", "turn:" + hp + "?transport=tcp"}}, nil
}

func hostOf(hostport string) string {
	h, _, _ := net.SplitHostPort(hostport)
	return h
}

// URLs are the relay's turn: URLs, UDP then TCP.
func (r *Relay) URLs() []string { return r.urls }

// Close stops the listeners and ends every allocation.
func (r *Relay) Close() error { return r.server.Close() }

// authHandler accepts "<expiry>:<subject>" usernames that have not
// expired, with the password the key makes for them (Credential). It
// answers the long-term key; pion checks the request's integrity with it.
func authHandler(cfg RelayConfig) turn.AuthHandler {
	return func(username, realm string, _ net.Addr) ([]byte, bool) {
		exp, subject, ok := strings.Cut(username, ":")
		n, err := strconv.ParseInt(exp, 10, 64)
		if !ok || subject == "" || err != nil || n < cfg.Now().Unix() {
			return nil, false
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		key, err := cfg.Key(ctx)
		if err != nil || key == "" {
			cfg.Log.Warn("turn relay: no key to check credentials with", "err", err)
			return nil, false
		}
		return turn.GenerateAuthKey(username, realm, restPassword(key, username)), true
	}
}

// logWriter hands pion's log lines to our logger.
type logWriter struct{ log *slog.Logger }

func (w logWriter) Write(p []byte) (int, error) {
	w.log.Warn("turn relay", "msg", strings.TrimSpace(string(p)))
	return len(p), nil
}
