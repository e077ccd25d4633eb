package app

import (
	"context"
	"fmt"
	"html/template"
	"net/http"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// demoChannelName is the demo's web channel, the one /demo embeds.
const demoChannelName = "Website chat"

// demoPage serves GET /demo with --demo: a pretend shop embedding the web
// chat widget of the demo's "Website chat" channel, so a newcomer can play
// the customer while logged in as an agent in another window.
type demoPage struct {
	channelID string // set once at start-up, before serving
}

// find looks the demo's web channel up (after the demo world is loaded).
func (p *demoPage) find(ctx context.Context, s *store.Store) error {
	chans, err := s.ListChannels(ctx, nil)
	if err != nil {
		return err
	}
	for _, ch := range chans {
		if ch.Type == desk.ChannelWeb && ch.Name == demoChannelName {
			p.channelID = ch.ID
			return nil
		}
	}
	return fmt.Errorf("app: demo: no web channel named %q", demoChannelName)
}

func (p *demoPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-src 'self'; object-src 'none'; base-uri 'none'")
	_ = demoTemplate.Execute(w, p.channelID)
}

var demoTemplate = template.Must(template.New("demo").Parse(`<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Store: Relevo demo</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1f2933; background: #f5f7fa; }
  header { background: #1f2933; color: #fff; padding: 16px 32px; font-weight: 600; font-size: 20px; }
  main { max-width: 680px; margin: 40px 0 40px max(24px, calc(50% - 560px)); padding: 0 24px; }
  .card { background: #fff; border-radius: 12px; padding: 24px 28px; box-shadow: 0 1px 3px rgba(0,0,0,.08); margin-bottom: 20px; }
  h1 { font-size: 28px; margin: 0 0 8px; }
  code { background: #eef2f7; padding: 1px 5px; border-radius: 4px; }
  pre { background: #eef2f7; padding: 10px 12px; border-radius: 8px; font-size: 13px; white-space: pre-wrap; word-break: break-all; }
  ol { padding-left: 20px; }
</style>
<header>Acme Store</header>
<main>
  <div class="card">
    <h1>Welcome to Acme</h1>
    <p>This page plays a customer's website. The chat bubble at the bottom right is Relevo's web widget,
    embedded with one script tag:</p>
    <pre>&lt;script src="/widget.js" data-channel="{{.}}" async&gt;&lt;/script&gt;</pre>
  </div>
  <div class="card">
    <ol>
      <li>Open the chat and write to <b>Acme Support</b>; its bot answers with a menu.</li>
      <li>Choose <b>Talk to a person</b> (or write <i>human</i>).</li>
      <li>In another browser (or a private window) log in at <a href="/">/</a> as <code>agent@demo.relevo</code>
      (password <code>relevo-demo</code>), go online, and take the conversation from the Handovers queue.</li>
      <li>Either side can then start an audio or video call from the conversation.</li>
    </ol>
  </div>
</main>
<script src="/widget.js" data-channel="{{.}}" async></script>
</html>
`))
