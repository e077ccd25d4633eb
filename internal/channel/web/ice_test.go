package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/channel/web"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/ice"
)

// A visitor reads its ICE configuration with its session token: nothing
// configured answers no servers and policy all; without a token, 401.
func TestVisitorReadsICEConfig(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v := e.anon()
		var cfg desk.IceConfig
		v.get("/widget/v1/calls/ice").want(200).decode(&cfg)
		if cfg.IceServers == nil || len(cfg.IceServers) != 0 || cfg.IceTransportPolicy != desk.IcePolicyAll || cfg.ExpiresAt.IsZero() {
			t.Fatalf("got %+v", cfg)
		}
		if r := e.do(call{method: "GET", path: "/widget/v1/calls/ice"}); r.Status != 401 || r.code() != "unauthenticated" {
			t.Fatalf("no token: %d %s", r.Status, r.code())
		}
	})
}

// A visitor's TURN credentials name its own contact id, never another's.
func TestVisitorTURNCredentialsNameItsOwnID(t *testing.T) {
	set := desk.ICESettings{TURNURLs: []string{"turn:turn.example.com:3478"}, TURNSecret: "north"}
	eachDB(t, func(t *testing.T, e *env) {
		a, b := e.anon(), e.anon()
		for _, v := range []struct{ token, id string }{{a.token, a.contactID}, {b.token, b.contactID}} {
			var cfg desk.IceConfig
			e.do(call{method: "GET", path: "/widget/v1/calls/ice", token: v.token}).want(200).decode(&cfg)
			user := cfg.IceServers[0].Username
			if !strings.HasSuffix(user, ":"+v.id) {
				t.Fatalf("username %q does not name %s", user, v.id)
			}
			if _, pass := ice.Credential("north", v.id, cfg.ExpiresAt); pass != cfg.IceServers[0].Credential {
				t.Fatalf("credential does not check against the secret")
			}
		}
	}, func(o *web.Options) {
		o.ICE = &ice.Service{Settings: func(context.Context) (desk.ICESettings, error) { return set, nil }}
	})
}
