package bench

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
)

// `relevo bench` (the ceiling run) against a node of its own, briefly: the
// report has the bare pipeline's and Relevo's tables, every scheduled
// message accepted, and the ratio; times are not checked.
func TestCeilingRunReportsBothPipelinesAndTheRatio(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a node and a bare server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out bytes.Buffer
	err := Run(ctx, []string{"ceiling", "-sockets", "2", "-supervisors", "2", "-rate", "20", "-duration", "1s", "-warmup", "0s",
		"-conversations", "3", "-senders", "2"}, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	report := out.String()
	tables := regexp.MustCompile(`(?m)^messages/s achieved: \d+ of 20 \((\d+) of (\d+) accepted, (\d+) failed\)`).FindAllStringSubmatch(report, -1)
	if len(tables) != 3 { // two bare servers, then Relevo
		t.Fatalf("%d result tables, want 3:\n%s", len(tables), report)
	}
	for _, m := range tables {
		acc, _ := strconv.Atoi(m[1])
		sched, _ := strconv.Atoi(m[2])
		if sched < 1 || acc != sched || m[3] != "0" {
			t.Errorf("accepted %s of %s, failed %s: want all of at least one", m[1], m[2], m[3])
		}
	}
	if n := bytes.Count(out.Bytes(), []byte("messages some supervisor socket missed: 0\n")); n != 3 {
		t.Errorf("%d runs where the supervisor sockets missed nothing, want 3:\n%s", n, report)
	}
	for _, want := range []string{"accept → first agent socket", "send → accept (HTTP inbound)", "ceiling ratio, Relevo ÷ bare",
		"accept → last of 2 supervisor sockets"} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if n := bytes.Count(out.Bytes(), []byte("ceiling ratio, Relevo ÷ bare")); n != 2 {
		t.Errorf("%d ratio tables, want 2", n)
	}
}

// `relevo bench -url` measures a server it did not start: here a node the
// test starts, reached only through its URL, a token, a channel id and an
// agent's login, like a user's server.
func TestCeilingRunAgainstARunningServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a node and a bare server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	n, err := newNode(ctx, app.Options{}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer n.close()
	emails, err := n.users(ctx, "agent", 1, desk.RoleAgent)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := n.tokens(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.start(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RELEVO_BENCH_PASSWORD", rtPassword) // from the environment, as a user would
	var out bytes.Buffer
	err = Run(ctx, []string{"ceiling", "-url", n.url(), "-token", tokens[0], "-channel", n.ch.ID, "-email", emails[0],
		"-sockets", "2", "-rate", "20", "-duration", "1s", "-warmup", "0s", "-conversations", "3", "-senders", "2"}, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	report := out.String()
	m := regexp.MustCompile(`(?m)^relevo at http://\S+: 2 agent sockets`).FindString(report)
	if m == "" {
		t.Fatalf("no table for the running server:\n%s", report)
	}
	tables := regexp.MustCompile(`(?m)^messages/s achieved: \d+ of 20 \((\d+) of (\d+) accepted, (\d+) failed\)`).FindAllStringSubmatch(report, -1)
	if len(tables) != 3 || tables[2][1] != tables[2][2] || tables[2][3] != "0" {
		t.Fatalf("tables %v: want 3, the server's with every message accepted:\n%s", tables, report)
	}
	if !bytes.Contains(out.Bytes(), []byte("messages some socket missed: 0;")) {
		t.Errorf("some socket missed messages:\n%s", report)
	}
	// Without the agent's password it refuses to start.
	t.Setenv("RELEVO_BENCH_PASSWORD", "")
	err = Run(ctx, []string{"ceiling", "-url", n.url(), "-token", tokens[0], "-channel", n.ch.ID, "-email", emails[0]}, &out)
	if err == nil {
		t.Error("-url without a password ran")
	}
}

// A misspelt run name is refused at once, not taken for the store run
// (which seeds 100,000 conversations before printing anything).
func TestAnUnknownRunNameIsRefused(t *testing.T) {
	err := Run(context.Background(), []string{"webhook", "-rate", "1"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `unknown run "webhook"`) || !strings.Contains(err.Error(), "webhooks") {
		t.Fatalf("Run(webhook) = %v, want the unknown-run error naming the runs", err)
	}
}
