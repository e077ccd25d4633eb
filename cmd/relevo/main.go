// Command relevo is the Relevo contact center: one binary that serves the
// API, the console and the widget, and runs the workers.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args[1:]
	run := app.Main
	if len(args) > 0 && args[0] == "bench" {
		// internal/bench starts nodes through internal/app, so app cannot
		// reach it: the bench is dispatched here.
		args, run = benchArgs(args[1:]), bench.Run
		bench.SelfArgs = []string{"bench"}
	}
	if err := run(ctx, args, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "relevo:", err)
		os.Exit(1)
	}
}

// benchArgs makes `relevo bench [flags]` the ceiling run: customers'
// messages through the API channel to agent sockets on a node of its own,
// the same run on a bare pipeline, and the ratio. A first word that is not
// a flag names another run (realtime, webhooks, widget, assign, idle,
// monitors, csv, store).
func benchArgs(args []string) []string {
	switch {
	case len(args) == 0 || args[0] == "" || args[0][0] == '-':
		return append([]string{"ceiling"}, args...)
	case args[0] == "store":
		return args[1:]
	}
	return args
}
