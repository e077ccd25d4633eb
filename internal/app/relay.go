package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/relevo/relevo/internal/ice"
)

// RelayFlags are `relevo serve`'s TURN relay flags, checked.
type RelayFlags struct {
	// Listen is host:port for UDP and TCP; empty: the relay is off.
	Listen string
	// PublicIP is checked to be an IP (kept a string: Config compares).
	PublicIP         string
	Realm            string
	MinPort, MaxPort uint16
}

// relayFlags declares the relay's flags on fs; the function it returns
// checks them after parsing.
func relayFlags(fs *flag.FlagSet, env func(name, def string) string) func() (RelayFlags, error) {
	listen := fs.String("turn-listen", env("turn-listen", ""), "run Relevo's TURN relay on this host:port, UDP and TCP (empty: off)")
	public := fs.String("turn-public-ip", env("turn-public-ip", ""), "the relay's IP address as browsers reach it (required with --turn-listen)")
	realm := fs.String("turn-realm", env("turn-realm", "relevo"), "the relay's realm")
	ports := fs.String("turn-relay-ports", env("turn-relay-ports", "49152-65535"), "UDP ports relayed media may take: min-max")
	return func() (RelayFlags, error) {
		f := RelayFlags{Listen: *listen, Realm: *realm}
		if f.Listen == "" {
			return RelayFlags{}, nil
		}
		if _, p, err := net.SplitHostPort(f.Listen); err != nil || p == "" {
			return f, errors.New("--turn-listen must be host:port, like 0.0.0.0:3478")
		}
		if ip := net.ParseIP(*public); ip == nil || ip.IsUnspecified() {
			return f, errors.New("--turn-public-ip must be the IP address browsers reach the relay at, like 203.0.113.7")
		}
		if f.Realm == "" || strings.ContainsAny(f.Realm, " \\\"") {
			return f, errors.New("--turn-realm must be a word, like relevo")
		}
		f.PublicIP = *public
		lo, hi, ok := strings.Cut(*ports, "-")
		min, err1 := strconv.ParseUint(lo, 10, 16)
		max, err2 := strconv.ParseUint(hi, 10, 16)
		if !ok || err1 != nil || err2 != nil || min < 1024 || max < min {
			return f, fmt.Errorf("--turn-relay-ports must be min-max within 1024-65535, like 49152-65535, got %q", *ports)
		}
		f.MinPort, f.MaxPort = uint16(min), uint16(max)
		return f, nil
	}
}

// startRelay runs the relay when configured; its URLs go first in every
// ICE answer. Its key is the settings' (one secret for every node).
func (a *App) startRelay() error {
	f := a.Config.Relay
	if f.Listen == "" {
		return nil
	}
	r, err := ice.StartRelay(ice.RelayConfig{Listen: f.Listen, PublicIP: net.ParseIP(f.PublicIP), Realm: f.Realm, MinPort: f.MinPort, MaxPort: f.MaxPort,
		Now: a.Clock.Now, Log: a.Log, Key: func(ctx context.Context) (string, error) {
			set, err := a.Store.ICESettings(ctx)
			return set.RelayKey(), err
		}})
	if err != nil {
		return err
	}
	a.relay = r
	a.ICE.RelayURLs = r.URLs()
	a.Log.Info("turn relay on", "urls", strings.Join(r.URLs(), " "))
	return nil
}
