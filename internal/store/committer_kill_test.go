package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// TestGroupCommitAcknowledgedWritesSurviveAKill runs writers in a child
// process (this test binary again) that prints each key once its write is
// acknowledged, kills it with SIGKILL mid-stream, and checks every printed
// key is in the file when the store is opened again.
func TestGroupCommitAcknowledgedWritesSurviveAKill(t *testing.T) {
	if dir := os.Getenv("RELEVO_GC_CHILD_DIR"); dir != "" {
		writeUntilKilled(dir)
		return
	}
	dir := t.TempDir()
	gcStore(t, Options{DataDir: dir}).Close() // the probe tables
	cmd := exec.Command(os.Args[0], "-test.run=^TestGroupCommitAcknowledgedWritesSurviveAKill$")
	cmd.Env = append(os.Environ(), "RELEVO_GC_CHILD_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if k, ok := strings.CutPrefix(lines.Text(), "ack "); ok {
			acked = append(acked, k)
		}
		if len(acked) == 500 {
			_ = cmd.Process.Kill() // SIGKILL: no Close, no deferred work
		}
	}
	_ = cmd.Wait()
	if len(acked) < 500 {
		t.Fatalf("child stopped after %d acknowledged writes", len(acked))
	}
	s := gcStore(t, Options{DataDir: dir})
	var n int
	if err := s.r.QueryRow(`SELECT COUNT(*) FROM gc_probe`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	for k, ok := range present(t, dir, acked...) {
		if !ok {
			t.Errorf("%s was acknowledged, then lost", k)
		}
	}
	t.Logf("%d acknowledged, %d in the file", len(acked), n)
}

// writeUntilKilled is the child: 16 writers, an acknowledgement line per
// committed key.
func writeUntilKilled(dir string) {
	s, err := Open(context.Background(), Options{DataDir: dir})
	if err != nil {
		fmt.Println("open:", err)
		return
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				k := fmt.Sprintf("w%d-%d", w, i)
				if err := s.tx(context.Background(), put(k)); err != nil {
					fmt.Println("write:", err)
					return
				}
				mu.Lock()
				fmt.Println("ack " + k)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}
