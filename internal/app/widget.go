package app

import (
	"io/fs"
	"net/http"

	"github.com/relevo/relevo/web"
)

// widgetRoot is where Vite writes the web chat widget inside web.Dist.
const widgetRoot = "dist/widget"

// widgetFiles is the built widget (index.html, assets/, widget.js).
func widgetFiles() fs.FS {
	sub, err := fs.Sub(web.Dist, widgetRoot)
	if err != nil {
		panic(err) // widgetRoot is a constant path; Sub fails only on an invalid one
	}
	return sub
}

// extraRoutes are the routes outside the API's table: the console, the
// widget's files, and /demo with --demo.
func (a *App) extraRoutes() map[string]http.Handler {
	routes := consoleRoutes(a.Log)
	routes["GET /widget/"] = a.Widget.Files()
	if a.Config.Demo {
		a.demoPage = &demoPage{}
		routes["GET /demo"] = a.demoPage
	}
	return routes
}
