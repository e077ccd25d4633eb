package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/widgetapi"
)

const evilOrigin = "https://evil.example"

// A channel with allowed_origins answers browsers of those sites (with
// CORS headers), its own iframe (this server's origin) and non-browser
// clients (no Origin), and refuses every other site on every route.
func TestAllowedOriginsAreEnforcedOnEveryRoute(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v, r := e.session(e.shop, shopOrigin, widgetapi.WidgetSessionRequest{Name: "Carla"})
		r.want(200)
		if got := r.Header.Get("Access-Control-Allow-Origin"); got != shopOrigin {
			t.Fatalf("session ACAO %q", got)
		}
		m := v.say("1", "Hi")
		var up struct{ URL string }
		v.upload("a.txt", []byte("hello")).want(200).decode(&up)
		routes := []call{
			{method: "GET", path: "/widget/v1/channels/" + e.shop.ID + "/config"},
			{method: "POST", path: "/widget/v1/sessions", body: widgetapi.WidgetSessionRequest{ChannelID: e.shop.ID, Name: "X"}},
			{method: "GET", path: "/widget/v1/messages", token: v.token},
			{method: "POST", path: "/widget/v1/messages", token: v.token, body: widgetapi.WidgetSendRequest{ID: "2", Text: "again"}},
			{method: "GET", path: up.URL, token: v.token},
		}
		for _, c := range routes {
			c.origin = evilOrigin
			r := e.do(c)
			if r.Status != http.StatusForbidden || r.code() != "forbidden" || r.Header.Get("Access-Control-Allow-Origin") != "" {
				t.Errorf("%s %s from %s: %d %s %v", c.method, c.path, evilOrigin, r.Status, r.Body, r.Header)
			}
			for _, ok := range []string{shopOrigin, e.ts.URL, ""} {
				c.origin = ok
				if r := e.do(c); r.Status != 200 {
					t.Errorf("%s %s from %q: %d %s", c.method, c.path, ok, r.Status, r.Body)
				} else if want := map[string]string{shopOrigin: shopOrigin}[ok]; r.Header.Get("Access-Control-Allow-Origin") != want {
					t.Errorf("%s %s from %q: ACAO %q", c.method, c.path, ok, r.Header.Get("Access-Control-Allow-Origin"))
				}
			}
		}
		// The socket too.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, res, err := websocket.Dial(ctx, wsURL(e, v.token), &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {evilOrigin}}})
		if err == nil || res == nil || res.StatusCode != http.StatusForbidden {
			t.Errorf("socket from %s: %v %v", evilOrigin, err, res)
		}
		conn, _, err := websocket.Dial(ctx, wsURL(e, v.token), &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {shopOrigin}}})
		if err != nil {
			t.Fatalf("socket from %s: %v", shopOrigin, err)
		}
		conn.CloseNow()
		_ = m
	})
}

func TestOpenChannelAnswersAnyOriginWithCORS(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		v, r := e.session(e.open, evilOrigin, widgetapi.WidgetSessionRequest{})
		if r.want(200); r.Header.Get("Access-Control-Allow-Origin") != evilOrigin || !strings.Contains(r.Header.Get("Vary"), "Origin") {
			t.Fatalf("headers %v", r.Header)
		}
		v.get("/widget/v1/messages").want(200)
		if r := e.do(call{method: "GET", path: "/widget/v1/messages", token: v.token, origin: "null"}); r.Status != 403 {
			t.Fatalf("opaque origin: %d", r.Status)
		}
	})
}

func TestPreflightAnswersAllowedOrigins(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		pre := func(path, origin string) resp {
			return e.do(call{method: "OPTIONS", path: path, origin: origin,
				header: map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}})
		}
		r := pre("/widget/v1/channels/"+e.shop.ID+"/config", shopOrigin).want(204)
		if r.Header.Get("Access-Control-Allow-Origin") != shopOrigin || !strings.Contains(r.Header.Get("Access-Control-Allow-Headers"), "Authorization") ||
			!strings.Contains(r.Header.Get("Access-Control-Allow-Methods"), "POST") || r.Header.Get("Access-Control-Max-Age") == "" {
			t.Fatalf("preflight headers %v", r.Header)
		}
		// The shop channel does not allow evil.example...
		pre("/widget/v1/channels/"+e.shop.ID+"/config", evilOrigin).want(403)
		// ...but the open channel takes any site, so a preflight for a
		// route that does not name its channel passes, and the request
		// itself is then checked against its own channel.
		pre("/widget/v1/messages", evilOrigin).want(204)
		pre("/widget/v1/sessions", shopOrigin).want(204)
		if r := pre("/widget/v1/sessions", ""); r.Status != 400 {
			t.Fatalf("no origin: %d", r.Status)
		}
	})
}

func TestPreflightRefusesOriginsNoChannelAllows(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		// Lock the open channel down too: now only shop.example is allowed anywhere.
		ctx := context.Background()
		if _, err := e.s.UpdateChannel(ctx, e.open.ID, channelPatch(`{"allowed_origins":["https://shop.example"]}`)); err != nil {
			t.Fatal(err)
		}
		r := e.do(call{method: "OPTIONS", path: "/widget/v1/messages", origin: evilOrigin})
		if r.Status != 403 || r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("evil preflight: %d %v", r.Status, r.Header)
		}
		e.do(call{method: "OPTIONS", path: "/widget/v1/messages", origin: shopOrigin}).want(204)
	})
}

// The panel may only be framed by the channel's allowed origins.
func TestWidgetPageIsFramedOnlyByAllowedOrigins(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		r := e.do(call{method: "GET", path: "/widget/?channel=" + e.shop.ID}).want(200)
		csp := r.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'self' "+shopOrigin) || strings.Contains(csp, "frame-ancestors *") {
			t.Fatalf("shop CSP %q", csp)
		}
		r = e.do(call{method: "GET", path: "/widget/?channel=" + e.open.ID}).want(200)
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") || !strings.Contains(csp, "script-src 'self'") {
			t.Fatalf("open CSP %q", csp)
		}
		if r := e.do(call{method: "GET", path: "/widget/assets/app-1.js"}).want(200); !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
			t.Fatalf("asset cache %q", r.Header.Get("Cache-Control"))
		}
		e.do(call{method: "GET", path: "/widget/assets/missing.js"}).want(404)
		e.do(call{method: "GET", path: "/widget/v1/nope"}).want(404)
		r = e.do(call{method: "GET", path: "/widget.js"}).want(200)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") || string(r.Body) != "/* loader */" {
			t.Fatalf("loader %q %q", ct, r.Body)
		}
	})
}
