// Package web holds Relevo's browser front ends, built by Vite into dist/
// (npm run build in this folder; make build does it) and embedded into the
// binary. dist/.gitkeep is committed so the package compiles, and go vet
// and go test run, before any front end is built; the server then answers
// "/" with a page saying how to build the console.
package web

import "embed"

// Dist is the built front ends: dist/console is the agent console.
//
//go:embed all:dist
var Dist embed.FS
