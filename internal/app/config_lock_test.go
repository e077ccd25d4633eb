package app_test

import (
	"testing"
	"time"

	"github.com/relevo/relevo/internal/app"
)

// --lock-max reads durations as the API does: whole seconds or a Go
// duration string name the same lock.
func TestParseFlagsLockMaxSecondsOrDuration(t *testing.T) {
	none := func(string) string { return "" }
	for arg, want := range map[string]time.Duration{"45": 45 * time.Second, "45s": 45 * time.Second, "1m30s": 90 * time.Second, "600": 10 * time.Minute} {
		cfg, err := app.ParseFlags([]string{"--lock-max", arg}, none)
		if err != nil || cfg.LockMax != want {
			t.Errorf("--lock-max %s: %v, %v; want %v", arg, cfg.LockMax, err, want)
		}
	}
}
