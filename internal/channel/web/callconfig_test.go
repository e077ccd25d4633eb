package web_test

import (
	"context"
	"testing"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/widgetapi"
)

// The widget learns the bot's call setting from its config: off by
// default (no call button, no ring), then what the bot allows.
func TestConfigCarriesTheBotsCallSetting(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		path := "/widget/v1/channels/" + e.open.ID + "/config"
		var c widgetapi.WidgetConfig
		e.do(call{method: "GET", path: path}).want(200).decode(&c)
		if c.Calls != (desk.CallSettings{Mode: desk.CallsOff}) {
			t.Fatalf("default calls %+v", c.Calls)
		}
		on := desk.CallSettings{Mode: desk.CallsVideo, CustomerMayStart: true}
		if _, err := e.s.UpdateBot(context.Background(), e.bot.ID, store.BotPatch{Calls: &on}); err != nil {
			t.Fatal(err)
		}
		e.do(call{method: "GET", path: path}).want(200).decode(&c)
		if c.Calls != on {
			t.Fatalf("calls %+v, want %+v", c.Calls, on)
		}
	})
}
