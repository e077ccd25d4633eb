package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/auth"
)

// --token-rate and --token-burst reach the server: a token without a rate
// of its own gets the configured burst, then 429 (well before the built-in
// default's 200).
func TestTokenRateFlagsReachTheServer(t *testing.T) {
	a := open(t, app.Config{DataDir: t.TempDir(), TokenRate: 1, TokenBurst: 3, WidgetRate: 2, WidgetBurst: 20})
	plain, hash, err := auth.NewToken(auth.APITokenPrefix)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.CreateToken(context.Background(), "flags", "", "", hash); err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Timeout: 10 * time.Second}
	for i := range 50 {
		req, _ := http.NewRequest("GET", a.URL()+"/api/v1/tags", nil)
		req.Header.Set("Authorization", "Bearer "+plain)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == 200 {
			continue
		}
		if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
			t.Fatalf("request %d: %d, Retry-After %q", i+1, res.StatusCode, res.Header.Get("Retry-After"))
		}
		if i < 3 {
			t.Errorf("refused after %d requests, want the burst of 3 first", i)
		}
		return
	}
	t.Error("50 requests passed; --token-burst 3 at 1/s never refused one")
}
