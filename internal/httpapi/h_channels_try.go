package httpapi

import (
	"html/template"
	"net/http"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// identitySecretPrefix makes a leaked identity secret recognisable, like
// the API tokens' prefix.
const identitySecretPrefix = "rlv_w_"

// identitySecretResponse carries a web channel's new identity secret: the
// only time it is shown (reads answer it masked).
type identitySecretResponse struct {
	// Secret signs identifier_hash on the site's server (docs/widget.md).
	Secret string `json:"secret"`
}

// rotateChannelSecret turns identity verification on, or rotates its
// secret: the old one stops working at once, so the site must be given
// the new one.
func (s *Server) rotateChannelSecret(w http.ResponseWriter, r *http.Request) {
	secret, _, err := auth.NewToken(identitySecretPrefix)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if _, err := s.store.UpdateChannel(r.Context(), r.PathValue("id"), store.ChannelPatch{Secret: &secret}); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	s.respond(w, r, identitySecretResponse{Secret: secret}, nil)
}

// tryPage serves GET /widget/try/{channel_id}: a page of this server with
// the channel's widget on it, so an admin can chat as a customer before
// any site embeds it. The widget's calls then come from this server's own
// origin, which the web channel's origin check admits whatever the
// channel's allowed_origins.
func (s *Server) tryPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.store.GetChannel(r.Context(), r.PathValue("channel_id"))
	if err == nil && c.Type != desk.ChannelWeb {
		err = desk.NotFound("web channel")
	}
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	// The loader adds its own style element (inline styles); scripts stay
	// the server's files only.
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; frame-src 'self'; "+
		"img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	_ = tryTemplate.Execute(w, struct {
		desk.Channel
		PublicURL string
	}{c, s.cfg.PublicURL})
}

var tryTemplate = template.Must(template.New("try").Parse(`<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Test page for {{.Name}}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1f2933; background: #f5f7fa; }
  main { max-width: 640px; margin: 48px auto; padding: 0 24px; }
  h1 { font-size: 26px; margin: 0 0 12px; }
  pre { background: #e4e9f0; padding: 10px 12px; border-radius: 8px; font-size: 13px; white-space: pre-wrap; word-break: break-all; }
</style>
<main>
  <h1>Test page for {{.Name}}</h1>
  <p>This page is served by Relevo itself so you can chat as a customer of this web channel
  before any website embeds it. Open the chat bubble at the bottom right and write a message:
  it reaches the desk like any customer's.</p>
  <p>A website embeds the same chat with this tag:</p>
  <pre>&lt;script src="{{.PublicURL}}/widget.js" data-channel="{{.ID}}" async&gt;&lt;/script&gt;</pre>
</main>
<script src="/widget.js" data-channel="{{.ID}}" async></script>
</html>
`))
