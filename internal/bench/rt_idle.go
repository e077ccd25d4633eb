package bench

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime/rtclient"
)

// idleClientsCmd is the hidden subcommand the idle run starts its clients
// with: the sockets' client ends live in other processes, so this one's
// memory is the server's alone.
const idleClientsCmd = "_idle-clients"

// runIdle is `relevo-bench idle`: memory per idle agent socket. This
// process is the node; child processes (this binary again) log agents in
// and hold the client ends, each from its own source address
// (127.0.0.2, .3, …) so no one address runs out of ephemeral ports. The
// node's Go heap and stacks in use and its RSS are read before and after,
// each after a GC, and the growth divided by the sockets.
func runIdle(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("relevo-bench idle", flag.ContinueOnError)
	sockets := fs.Int("sockets", 20000, "idle agent sockets (one agent user each)")
	perProcess := fs.Int("per-process", 5000, "client sockets per child process")
	hold := fs.Duration("hold", 30*time.Second, "how long the sockets stay idle before measuring (pings go every 25 s)")
	memprofile := fs.String("memprofile", "", "write a heap profile of the node, sockets up, to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *sockets < 1 || *sockets > 100_000 || *perProcess < 1 || *hold < 0 || *hold > 10*time.Minute {
		return errors.New("-sockets must be 1..100000, -per-process ≥ 1, -hold in [0, 10m]")
	}
	if *memprofile != "" {
		runtime.MemProfileRate = 1024 // finer than the default 512 KiB, for a per-socket breakdown
	}
	fmt.Fprintf(out, "relevo-bench idle: %s\n", machine())
	limit := raiseFileLimit(uint64(*sockets + 2000))
	n, err := newNode(ctx, app.Options{}, "")
	if err != nil {
		return err
	}
	defer n.close()
	t0 := time.Now()
	if _, err := n.users(ctx, "agent", *sockets, desk.RoleAgent); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d agents created in %v\n", *sockets, time.Since(t0).Round(time.Millisecond))
	if err := n.start(); err != nil {
		return err
	}
	// The node's other descriptors (SQLite, listener, the children's pipes
	// and keep-alive connections) need room too.
	if room := int(limit) - openFiles() - 150; *sockets > room {
		fmt.Fprintf(out, "note: RLIMIT_NOFILE is %d and cannot be raised here; measuring %d sockets instead of %d\n", limit, room, *sockets)
		*sockets = room
	}

	runtime.GC()
	debug.FreeOSMemory()
	before := readMemory()
	t0 = time.Now()
	procs := (*sockets + *perProcess - 1) / *perProcess
	if procs > 250 {
		return errors.New("too many client processes (one source address each): raise -per-process")
	}
	children, err := startIdleClients(ctx, n.url(), *sockets, *perProcess, *hold+10*time.Minute)
	defer func() {
		for _, c := range children {
			c.stop()
		}
	}()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d sockets connected from %d client processes in %v; holding them idle %v\n",
		*sockets, procs, time.Since(t0).Round(time.Millisecond), *hold)
	time.Sleep(*hold)
	held := n.app.Hub.Connected()
	runtime.GC()
	debug.FreeOSMemory()
	after := readMemory()
	if *memprofile != "" {
		if err := writeHeapProfile(*memprofile); err != nil {
			return err
		}
	}

	per := func(a, b uint64) (string, string, float64) {
		d := int64(b) - int64(a)
		p := float64(d) / float64(*sockets)
		return mib(d), kib(p), p
	}
	verdict := map[bool]string{true: "pass", false: "FAIL"}
	fmt.Fprintf(out, "\nrelevo (SQLite): %d idle agent sockets, %d still connected after %v\n", *sockets, held, *hold)
	fmt.Fprintf(out, "%-36s %12s %12s %12s  %-12s %s\n", "memory of the node", "before", "growth", "per socket", "target", "result")
	for _, m := range []struct {
		name string
		a, b uint64
	}{
		{"Go heap in use", before.heap, after.heap},
		{"Go stacks in use", before.stack, after.stack},
		{"Go heap + stacks in use (MemStats)", before.heap + before.stack, after.heap + after.stack},
		{"resident set (VmRSS)", before.rss, after.rss},
	} {
		total, each, p := per(m.a, m.b)
		target, result := "(part)", "-"
		if strings.Contains(m.name, "+") || strings.Contains(m.name, "RSS") {
			target, result = "≤ 30 KiB", verdict[p <= 30*1024 && held == *sockets]
		}
		fmt.Fprintf(out, "%-36s %12s %12s %12s  %-12s %s\n", m.name, mib(int64(m.a)), total, each, target, result)
	}
	fmt.Fprintf(out, "%-36s %12d %12d %12.2f  %-12s %s\n", "goroutines", before.goroutines, after.goroutines-before.goroutines,
		float64(after.goroutines-before.goroutines)/float64(*sockets), "(informative)", "-")
	return nil
}

// idleClients is one child process holding client sockets.
type idleClients struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

// stop closes the child's stdin, which makes it exit, and waits a while
// before killing it (by its own process id).
func (c *idleClients) stop() {
	_ = c.stdin.Close()
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-done
	}
}

// startIdleClients starts the child processes and returns once each says
// its sockets are up.
func startIdleClients(ctx context.Context, base string, sockets, per int, timeout time.Duration) ([]*idleClients, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var out []*idleClients
	ready := make(chan error)
	for k, from := 0, 0; from < sockets; k, from = k+1, from+per {
		to := min(from+per, sockets)
		args := append(append([]string{}, SelfArgs...), idleClientsCmd, "-base", base, "-from", strconv.Itoa(from), "-to", strconv.Itoa(to),
			"-src", fmt.Sprintf("127.0.0.%d", 2+k), "-timeout", timeout.String())
		cmd := exec.Command(exe, args...)
		cmd.Stderr = os.Stderr
		stdin, err := cmd.StdinPipe()
		if err != nil {
			return out, err
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			return out, err
		}
		if err := cmd.Start(); err != nil {
			return out, err
		}
		out = append(out, &idleClients{cmd: cmd, stdin: stdin})
		go func() {
			sc := bufio.NewScanner(stdout)
			var err error = errors.New("client process ended before its sockets were up")
			for sc.Scan() {
				if line := sc.Text(); strings.HasPrefix(line, "ready ") {
					err = nil
					break
				} else if strings.HasPrefix(line, "error ") {
					err = errors.New(line)
					break
				}
			}
			ready <- err
			_, _ = io.Copy(io.Discard, stdout)
		}()
	}
	var errs error
	for range out {
		select {
		case err := <-ready:
			errs = errors.Join(errs, err)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, errs
}

// runIdleClients is the child: it logs agents [from, to) in from its own
// source address, keeps reading their sockets (so pings are answered),
// says "ready", and exits when its stdin closes or the timeout passes.
func runIdleClients(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet(idleClientsCmd, flag.ContinueOnError)
	base := fs.String("base", "", "the node's URL")
	from := fs.Int("from", 0, "first agent")
	to := fs.Int("to", 0, "last agent + 1")
	src := fs.String("src", "", "local address to connect from")
	workers := fs.Int("workers", 16, "logins in flight")
	timeout := fs.Duration("timeout", 15*time.Minute, "exit after this long whatever happens")
	if err := fs.Parse(args); err != nil {
		return err
	}
	raiseFileLimit(uint64(*to - *from + 1000))
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	// rtclient uses the default transport: bind it to the source address.
	tr := http.DefaultTransport.(*http.Transport)
	tr.MaxIdleConnsPerHost = *workers
	if *src != "" {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(*src)}, Timeout: 10 * time.Second}
		tr.DialContext = d.DialContext
	}
	emails := make([]string, 0, *to-*from)
	for i := *from; i < *to; i++ {
		emails = append(emails, fmt.Sprintf("agent-%d@bench.test", i))
	}
	_, err := connectAll(ctx, *base, emails, *workers, func(c *rtclient.Client) {
		go func() {
			for {
				if _, err := c.Read(ctx); err != nil {
					return
				}
			}
		}()
	})
	if err != nil {
		fmt.Fprintf(out, "error %v\n", strings.ReplaceAll(err.Error(), "\n", "; "))
		return err
	}
	fmt.Fprintf(out, "ready %d\n", len(emails))
	stdin := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); close(stdin) }()
	select {
	case <-stdin:
	case <-ctx.Done():
	}
	return nil
}
