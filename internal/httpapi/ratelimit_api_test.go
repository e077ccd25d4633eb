package httpapi_test

import (
	"testing"
)

// Rate limits per API token: a token's own rate_limit (burst twice that)
// is read with the token on each request, so a change through PATCH holds
// from the next request on; other tokens keep the server's default. The
// counts stay within one burst: no test here waits for a bucket to refill.
func TestTokenRateLimit(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		slow := w.tokenWith(map[string]any{"name": "slow", "bot_id": w.botA.ID, "rate_limit": 5})
		if slow.rate != float64(5) {
			t.Fatalf("POST /tokens answered rate_limit %v, want 5", slow.rate)
		}
		fast := w.tokenWith(map[string]any{"name": "default", "bot_id": w.botA.ID})
		if fast.rate != nil {
			t.Fatalf("POST /tokens without rate_limit answered %v, want null", fast.rate)
		}
		rates := map[string]any{}
		for _, it := range a.get("/api/v1/tokens").want(200).items() {
			rates[str(it["id"])] = it["rate_limit"]
		}
		if rates[slow.id] != float64(5) || rates[fast.id] != nil {
			t.Errorf("GET /tokens rate_limit: %v", rates)
		}

		// 5/s: a burst of 10, then 429 well before the default's 200.
		limitedAfter(t, slow.c, 10, 100)
		// The default token is untouched by the slow one's budget.
		allowed(t, fast.c, 15)

		// PATCH lowers the default token to 1/s (burst 2) at once.
		got := a.do("PATCH", "/api/v1/tokens/"+fast.id, map[string]any{"rate_limit": 1}).want(200).obj()
		if got["rate_limit"] != float64(1) || got["id"] != fast.id {
			t.Errorf("PATCH rate_limit 1: %v", got)
		}
		limitedAfter(t, fast.c, 2, 50)
		// null: back to the server's default, with a fresh burst.
		if got := a.do("PATCH", "/api/v1/tokens/"+fast.id, map[string]any{"rate_limit": nil}).want(200).obj(); got["rate_limit"] != nil {
			t.Errorf("PATCH rate_limit null: %v", got)
		}
		allowed(t, fast.c, 15)
		// Raising the slow token frees it at once.
		a.do("PATCH", "/api/v1/tokens/"+slow.id, map[string]any{"rate_limit": 1000}).want(200)
		allowed(t, slow.c, 15)
	})
}

func TestTokenRateLimitRefused(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.adm()
		for _, bad := range []any{0, -1, 100_001} {
			d := a.post("/api/v1/tokens", map[string]any{"name": "t", "rate_limit": bad}).fails(422, "validation_failed")
			if d["field"] != "rate_limit" {
				t.Errorf("POST rate_limit %v: details %v", bad, d)
			}
		}
		tok := w.tokenWith(map[string]any{"name": "t"})
		path := "/api/v1/tokens/" + tok.id
		for _, body := range []string{`{"rate_limit":0}`, `{"rate_limit":100001}`, `{"rate_limit":-5}`, `{}`, `{"name":"x"}`} {
			d := a.do("PATCH", path, body).fails(422, "validation_failed")
			if d["field"] != "rate_limit" {
				t.Errorf("PATCH %s: details %v", body, d)
			}
		}
		if d := a.do("PATCH", path, `{"rate_limit":"fast"}`).fails(400, "bad_request"); d["field"] != "rate_limit" {
			t.Errorf("PATCH a string: details %v", d)
		}
		a.do("PATCH", path, `{"rate_limit":2.5}`).fails(400, "bad_request")
		a.do("PATCH", "/api/v1/tokens/nope", map[string]any{"rate_limit": 5}).fails(404, "not_found")
		// Nothing half-saved: the token is still at the default.
		for _, it := range a.get("/api/v1/tokens").want(200).items() {
			if it["rate_limit"] != nil {
				t.Errorf("a refused PATCH changed %v", it)
			}
		}

		// Only admins: agents and supervisors are refused, and so is a token.
		for _, c := range []*client{w.login(w.agent), w.login(w.sup)} {
			c.do("PATCH", path, map[string]any{"rate_limit": 5}).fails(403, "forbidden")
		}
		tok.c.do("PATCH", path, map[string]any{"rate_limit": 5}).fails(403, "forbidden")

		// A revoked token is gone for PATCH too.
		a.do("DELETE", path, nil).want(204)
		a.do("PATCH", path, map[string]any{"rate_limit": 5}).fails(404, "not_found")
	})
}

// madeToken is a token made through POST /api/v1/tokens: its id, the
// rate_limit answered and a bearer client.
type madeToken struct {
	id   string
	rate any
	c    *client
}

func (w *world) tokenWith(body map[string]any) madeToken {
	w.t.Helper()
	out := w.adm().post("/api/v1/tokens", body).want(200).obj()
	c := w.anon()
	c.hc.Jar = nil
	c.bearer = str(out["token"])
	return madeToken{id: str(out["id"]), rate: out["rate_limit"], c: c}
}

// limitedAfter asks until the first 429: at least burst requests pass (a
// full bucket), and the 429 comes within max (below the default's burst,
// so the token's own rate is what refused it).
func limitedAfter(t *testing.T, c *client, burst, max int) {
	t.Helper()
	for i := range max {
		r := c.get("/api/v1/tags")
		if r.Status == 200 {
			continue
		}
		r.fails(429, "rate_limited")
		if r.Header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After: %v", r.Header)
		}
		if i < burst {
			t.Errorf("refused after %d requests, want at least the burst of %d", i, burst)
		}
		return
	}
	t.Errorf("%d requests passed; want a 429 after a burst of %d", max, burst)
}

// allowed checks that n requests in a row pass.
func allowed(t *testing.T, c *client, n int) {
	t.Helper()
	for i := range n {
		if r := c.get("/api/v1/tags"); r.Status != 200 {
			t.Fatalf("request %d of %d: %d %s", i+1, n, r.Status, r.Body)
		}
	}
}
