// Command relevo-bench is the developer's entry to internal/bench: the
// store's speed targets and the real-time runs (docs/PERFORMANCE.md). The
// shipped binary runs the same code as `relevo bench`.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/relevo/relevo/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := bench.Run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "relevo-bench:", err)
		os.Exit(1)
	}
}
