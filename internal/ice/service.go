package ice

import (
	"context"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// Service answers the ICE configuration of one caller (a user or a
// widget visitor), from the stored settings and this node's relay.
type Service struct {
	// Settings reads the stored settings (nil: none configured).
	Settings func(context.Context) (desk.ICESettings, error)
	// RelayURLs are the turn: URLs of this node's relay (nil: off).
	RelayURLs []string
	Now       func() time.Time
}

// For is the configuration subject (a user or visitor id) calls with;
// the TURN REST usernames name it.
func (s *Service) For(ctx context.Context, subject string) (desk.IceConfig, error) {
	var set desk.ICESettings
	if s.Settings != nil {
		var err error
		if set, err = s.Settings(ctx); err != nil {
			return desk.IceConfig{}, err
		}
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return Build(set, s.RelayURLs, subject, now()), nil
}

// Relay is this node's relay's URLs (none: off).
func (s *Service) Relay() []string { return s.RelayURLs }

// Build is the configuration from settings: this node's relay first (its
// credentials made with the relay's key), then the STUN servers, then the
// configured TURN servers.
func Build(set desk.ICESettings, relayURLs []string, subject string, now time.Time) desk.IceConfig {
	expires := now.Add(set.TTL()).Truncate(time.Second)
	cfg := desk.IceConfig{IceServers: []desk.IceServer{}, IceTransportPolicy: desk.IcePolicyAll, ExpiresAt: expires.UTC()}
	if set.RelayOnly {
		cfg.IceTransportPolicy = desk.IcePolicyRelay
	}
	if len(relayURLs) > 0 && set.RelayKey() != "" {
		user, pass := Credential(set.RelayKey(), subject, expires)
		cfg.IceServers = append(cfg.IceServers, desk.IceServer{URLs: relayURLs, Username: user, Credential: pass})
	}
	if len(set.STUNURLs) > 0 {
		cfg.IceServers = append(cfg.IceServers, desk.IceServer{URLs: set.STUNURLs})
	}
	if len(set.TURNURLs) > 0 {
		srv := desk.IceServer{URLs: set.TURNURLs, Username: set.TURNUsername, Credential: set.TURNPassword}
		if set.TURNSecret != "" {
			srv.Username, srv.Credential = Credential(set.TURNSecret, subject, expires)
		}
		cfg.IceServers = append(cfg.IceServers, srv)
	}
	return cfg
}
