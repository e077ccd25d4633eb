package app_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/app"
)

// killChildEnv switches this test binary into `relevo serve` (configured
// by the RELEVO_ environment twins of its flags) when the kill test runs
// it again as the server's own process.
const killChildEnv = "RELEVO_KILLTEST_SERVE"

// serveAsChild is the child's whole life: relevo serve as main runs it,
// until SIGTERM (a clean stop) or SIGKILL (the point of the test).
func serveAsChild() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	if err := app.Main(ctx, []string{"serve"}, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "relevo:", err)
		os.Exit(1)
	}
	os.Exit(0) // no test summary: the parent reads only the log
}

// server is one `relevo serve` child process.
type server struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{} // closed when the process has exited
	mu   sync.Mutex
	log  []string // its last lines, for failure messages
}

// startServer runs relevo serve in a child process with env (RELEVO_
// twins of the flags) and returns once it listens.
func startServer(t *testing.T, env ...string) *server {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillMidRunLosesNothingAcknowledged$")
	cmd.Env = append(os.Environ(), append([]string{killChildEnv + "=1", "RELEVO_ADDR=127.0.0.1:0"}, env...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, done: make(chan struct{})}
	urls := make(chan string, 1)
	// The log is read to the end so the child never blocks on a full pipe.
	go func() {
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			line := lines.Text()
			s.mu.Lock()
			s.log = append(s.log[max(0, len(s.log)-20):], line)
			s.mu.Unlock()
			if _, rest, ok := strings.Cut(line, "relevo serving url="); ok {
				urls <- strings.Fields(rest)[0]
			}
		}
		_ = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() { s.kill() })
	select {
	case s.url = <-urls:
		return s
	case <-s.done:
		t.Fatalf("relevo serve exited before listening:\n%s", s.tail())
	case <-time.After(2 * time.Minute):
		t.Fatalf("relevo serve did not listen within 2 minutes:\n%s", s.tail())
	}
	return nil
}

// kill sends SIGKILL and waits for the process to be gone: no Close, no
// deferred work, no buffered write flushed.
func (s *server) kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// stop asks for a clean shutdown and waits for it.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("SIGTERM: %v", err)
	}
	select {
	case <-s.done:
	case <-time.After(time.Minute):
		t.Errorf("relevo serve did not stop within a minute of SIGTERM:\n%s", s.tail())
		s.kill()
	}
}

func (s *server) tail() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.log, "\n")
}
