package bench

import (
	"bytes"
	"context"
	"os"
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

// onEachDatabase runs f on SQLite, then on PostgreSQL when
// RELEVO_TEST_DATABASE_URL is set (scripts/testdb.sh), with the flag that
// puts the bench's node there.
func onEachDatabase(t *testing.T, f func(t *testing.T, db ...string)) {
	t.Run("sqlite", func(t *testing.T) { f(t) })
	if u := os.Getenv("RELEVO_TEST_DATABASE_URL"); u != "" {
		t.Run("postgres", func(t *testing.T) { f(t, "-database-url", u) })
	}
}

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
func TestWebhooksRunDeliversEverySignedWebhook(t *testing.T) { onEachDatabase(t, webhooksDelivered) }

func webhooksDelivered(t *testing.T, db ...string) {
	report := runBench(t, append([]string{"webhooks", "-rate", "20", "-duration", "1s", "-warmup", "0s", "-contacts", "3", "-sockets", "2", "-senders", "4"}, db...)...)
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

// Widget visitors, each with its session and socket: every message is
// taken, stored, seen by the agents and by its visitor.
func TestWidgetRunDeliversEveryVisitorMessage(t *testing.T) { onEachDatabase(t, widgetDelivered) }

func widgetDelivered(t *testing.T, db ...string) {
	report := runBench(t, append([]string{"widget", "-visitors", "12", "-rate", "20", "-duration", "1s", "-warmup", "0s", "-sockets", "2", "-senders", "4"}, db...)...)
	acc, sched, failed := achieved(t, report)
	if sched < 1 || acc != sched || failed != 0 {
		t.Errorf("accepted %d of %d, %d failed: want all", acc, sched, failed)
	}
	if in, acked := stored(t, report); in != acked || in < sched {
		t.Errorf("%d customer messages stored for %d acknowledged (%d scheduled)", in, acked, sched)
	}
	wantLines(t, report, "messages some agent socket missed: 0;", "messages the visitor's socket missed: 0\n",
		"POST → 2xx (message stored)", "POST → first agent socket", "POST → the visitor's own socket", "ceiling ratio, Relevo ÷ bare",
		": 12 visitors writing 20 msg/s")
	if bytes.Contains([]byte(report), []byte("429 seen")) {
		t.Errorf("429s with the bench's own limits:\n%s", report)
	}
}

// A per-visitor limit below the visitor's share of the rate shows as 429s,
// and the report names the flags that raise it.
func TestWidgetRunNamesTheLimitWhenThrottled(t *testing.T) {
	report := runBench(t, "widget", "-visitors", "1", "-rate", "20", "-duration", "1s", "-warmup", "0s", "-senders", "2",
		"-widget-rate", "1", "-widget-burst", "2", "-bare=false")
	_, sched, failed := achieved(t, report)
	if failed < 1 || failed > sched-2 {
		t.Errorf("%d of %d failed: want the burst of 2 through and some refused", failed, sched)
	}
	wantLines(t, report, "failures by kind: HTTP 429 rate_limited × "+strconv.Itoa(failed)+"\n",
		"429 seen: each visitor's limit (--widget-rate 1 --widget-burst 2)", "relevo serve --widget-rate/--widget-burst")
	if in, acked := stored(t, report); in != acked {
		t.Errorf("%d stored for %d acknowledged", in, acked)
	}
}

// The assignment race gives every conversation out once: the report's
// counts and the owners read back from the store.
func TestAssignRaceGivesEachConversationOneOwner(t *testing.T) { onEachDatabase(t, raceOneOwner) }

func raceOneOwner(t *testing.T, db ...string) {
	report := runBench(t, append([]string{"assign", "-agents", "4", "-conversations", "30"}, db...)...)
	wantLines(t, report, "(30 conversations given out in ", "conversations with two owners: 0; left without an owner: 0\n",
		"assign → 200 (won)                            30 ", "assign → 409 already_assigned (lost)")
	if !regexp.MustCompile(`conflicts \(409\): \d+;`).MatchString(report) {
		t.Errorf("no conflict count:\n%s", report)
	}
}
