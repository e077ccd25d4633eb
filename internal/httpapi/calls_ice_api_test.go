package httpapi_test

import "testing"

// happyCallsICE walks GET /api/v1/calls/ice: nothing configured answers
// no servers and policy all.
func happyCallsICE(t *testing.T, w *world) {
	got := w.login(w.agent).get("/api/v1/calls/ice").want(200).obj()
	if s, ok := got["ice_servers"].([]any); !ok || len(s) != 0 || got["ice_transport_policy"] != "all" || got["expires_at"] == "" {
		t.Errorf("calls/ice %v", got)
	}
}

// Every signed-in role reads its ICE configuration; no one else does.
func TestCallsICEForEverySignedInUser(t *testing.T) {
	w := sqliteWorld(t)
	for _, c := range []*client{w.login(w.agent), w.login(w.sup), w.adm()} {
		c.get("/api/v1/calls/ice").want(200)
	}
	w.anon().get("/api/v1/calls/ice").fails(401, "unauthenticated")
}
