package bench

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// The load sources' reports are checked for counts and shape, never for
// times: each runs about a second at a low rate against a node of its own.

var (
	achievedRe = regexp.MustCompile(`(?m)^messages/s achieved: \d+ of (\d+) \((\d+) of (\d+) accepted, (\d+) failed\)`)
	storedRe   = regexp.MustCompile(`(?m)^customer messages in the store: (\d+) \(accepted with a 2xx, warm-up included: (\d+)\)`)
)

func runBench(t *testing.T, args ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := Run(ctx, args, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	return out.String()
}

// achieved is the first table's counts: accepted, scheduled, failed.
func achieved(t *testing.T, report string) (acc, sched, failed int) {
	t.Helper()
	m := achievedRe.FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("no counts line:\n%s", report)
	}
	acc, _ = strconv.Atoi(m[2])
	sched, _ = strconv.Atoi(m[3])
	failed, _ = strconv.Atoi(m[4])
	return acc, sched, failed
}

// stored is what the store holds and what was acknowledged.
func stored(t *testing.T, report string) (inStore, acked int) {
	t.Helper()
	m := storedRe.FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("no store count:\n%s", report)
	}
	inStore, _ = strconv.Atoi(m[1])
	acked, _ = strconv.Atoi(m[2])
	return inStore, acked
}

func wantLines(t *testing.T, report string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !bytes.Contains([]byte(report), []byte(l)) {
			t.Errorf("report lacks %q:\n%s", l, report)
		}
	}
}

// Signed webhooks are all taken, stored and seen by the agents, and the
// bare pipeline's ratio follows.
func TestWebhooksRunDeliversEverySignedWebhook(t *testing.T) {
	report := runBench(t, "webhooks", "-rate", "20", "-duration", "1s", "-warmup", "0s", "-contacts", "3", "-sockets", "2", "-senders", "4")
	acc, sched, failed := achieved(t, report)
	if sched < 1 || acc != sched || failed != 0 {
		t.Errorf("accepted %d of %d, %d failed: want all", acc, sched, failed)
	}
	if in, acked := stored(t, report); in != acked || in < sched {
		t.Errorf("%d customer messages stored for %d acknowledged (%d scheduled)", in, acked, sched)
	}
	wantLines(t, report, "messages some agent socket missed: 0;", "POST → 200 (webhook stored)", "POST → last agent socket",
		"ceiling ratio, Relevo ÷ bare", "send → accept (HTTP), p99")
}

// Webhooks signed with another secret are all refused with 401
// invalid_signature, and none is stored.
func TestWebhooksRunWithAWrongSecretStoresNothing(t *testing.T) {
	report := runBench(t, "webhooks", "-rate", "20", "-duration", "1s", "-warmup", "0s", "-contacts", "3", "-senders", "4",
		"-app-secret", "not-the-channels", "-bare=false")
	acc, sched, failed := achieved(t, report)
	if sched < 1 || acc != 0 || failed != sched {
		t.Errorf("accepted %d of %d, %d failed: want every one refused", acc, sched, failed)
	}
	wantLines(t, report, "failures by kind: HTTP 401 invalid_signature × "+strconv.Itoa(sched)+"\n")
	if in, acked := stored(t, report); in != 0 || acked != 0 {
		t.Errorf("%d stored, %d acknowledged: want none", in, acked)
	}
}
