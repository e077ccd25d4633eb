// Package app wires Relevo together: configuration, the store, the bus, the
// workers and the HTTP server, with Start/Close so end-to-end tests run the
// same process main runs.
package app

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// Config is everything `relevo serve` takes. Each flag has an environment
// twin: RELEVO_ + the flag name in upper case with - as _.
type Config struct {
	Addr        string
	DataDir     string
	DatabaseURL string
	NATSURL     string
	PublicURL   string
	LockMax     time.Duration
	// SQLiteSync is SQLite's synchronous mode: full (default) or normal.
	SQLiteSync    string
	Demo          bool
	AdminEmail    string
	AdminPassword string
	// FastHashing uses cheap password hashing (tests and the demo only).
	FastHashing bool
	// TokenRate and TokenBurst bound each API token without a rate_limit
	// of its own: requests a second, and how many at once.
	TokenRate, TokenBurst int
	// WidgetRate and WidgetBurst bound each web widget visitor's messages
	// and uploads the same way.
	WidgetRate, WidgetBurst int
	// Relay is Relevo's own TURN relay (off unless TURN.Listen is set).
	Relay RelayFlags
}

// rateFlag is one of the rate limit flags: an integer within bounds.
type rateFlag struct {
	name     string
	def      string
	min, max int
	dst      *int
	raw      *string
}

// ParseFlags reads args and the environment. Flags win over the
// environment; the environment wins over defaults.
func ParseFlags(args []string, getenv func(string) string) (Config, error) {
	var c Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	env := func(name, def string) string {
		if v := getenv("RELEVO_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.Addr, "addr", env("addr", "127.0.0.1:8080"), "listen address")
	fs.StringVar(&c.DataDir, "data", env("data", "./data"), "folder for the SQLite file and uploads")
	fs.StringVar(&c.DatabaseURL, "database-url", env("database-url", ""), "a postgres:// URL switches to PostgreSQL")
	fs.StringVar(&c.NATSURL, "nats-url", env("nats-url", ""), "external NATS; empty = embedded")
	fs.StringVar(&c.PublicURL, "public-url", env("public-url", ""), "the URL customers and browsers reach this server at")
	lockMax := fs.String("lock-max", env("lock-max", "30s"), "longest processing lock: whole seconds or a duration (30s)")
	fs.StringVar(&c.SQLiteSync, "sqlite-synchronous", env("sqlite-synchronous", "full"),
		"SQLite durability: full (an acknowledged write survives power loss) or normal (survives a crash of the process only)")
	rates := []rateFlag{
		{name: "token-rate", def: "100", min: desk.MinRate, max: desk.MaxRate, dst: &c.TokenRate},
		{name: "token-burst", def: "200", min: 1, max: desk.MaxBurst, dst: &c.TokenBurst},
		{name: "widget-rate", def: "2", min: desk.MinRate, max: desk.MaxRate, dst: &c.WidgetRate},
		{name: "widget-burst", def: "20", min: 1, max: desk.MaxBurst, dst: &c.WidgetBurst},
	}
	usage := map[string]string{
		"token-rate":   "requests a second per API token without a rate_limit of its own",
		"token-burst":  "requests at once per API token without a rate_limit of its own",
		"widget-rate":  "messages and uploads a second per web widget visitor",
		"widget-burst": "messages and uploads at once per web widget visitor",
	}
	for i := range rates {
		rates[i].raw = fs.String(rates[i].name, env(rates[i].name, rates[i].def), usage[rates[i].name])
	}
	relay := relayFlags(fs, env)
	demo := fs.Bool("demo", env("demo", "") == "true" || env("demo", "") == "1", "load demo data and print the logins")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	// Read as the API reads durations (desk.ParseSeconds): "30" and "30s"
	// are the same lock, and a fraction of a second is refused alike.
	lock, err := desk.ParseSeconds(*lockMax)
	if err != nil || lock <= 0 || lock.Duration() > 10*time.Minute {
		return c, errors.New("--lock-max must be whole seconds or a duration from 1s to 10m, like 30 or 30s")
	}
	d := lock.Duration()
	if c.SQLiteSync != "full" && c.SQLiteSync != "normal" {
		return c, errors.New("--sqlite-synchronous must be full or normal")
	}
	for _, f := range rates {
		n, err := strconv.Atoi(strings.TrimSpace(*f.raw))
		if err != nil || n < f.min || n > f.max {
			return c, fmt.Errorf("--%s must be a whole number from %d to %d, got %q", f.name, f.min, f.max, *f.raw)
		}
		*f.dst = n
	}
	if c.Relay, err = relay(); err != nil {
		return c, err
	}
	c.LockMax, c.Demo = d, *demo
	c.AdminEmail, c.AdminPassword = getenv("RELEVO_ADMIN_EMAIL"), getenv("RELEVO_ADMIN_PASSWORD")
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	return c, nil
}

// Getenv is os.Getenv, named so callers can pass it.
var Getenv = os.Getenv
