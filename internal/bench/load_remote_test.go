package bench

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
)

// remoteNode is a running server the bench did not start: a node the
// test sets up, reached only through its URL and what a user would pass.
func remoteNode(t *testing.T, tune func(*app.Config)) (*node, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n, err := newNodeWith(ctx, app.Options{}, "", tune)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.close)
	emails, err := n.users(ctx, "agent", 1, desk.RoleAgent)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("RELEVO_BENCH_PASSWORD", rtPassword) // from the environment, as a user would
	return n, emails[0]
}

// Webhooks signed with the secret from the environment reach a running
// server's WhatsApp channel and its agent; the report counts no store (it
// has none to read), the test reads the server's.
func TestWebhooksRunAgainstARunningServer(t *testing.T) {
	n, email := remoteNode(t, nil)
	graph, err := startFakeGraph()
	if err != nil {
		t.Fatal(err)
	}
	defer graph.close()
	ch, err := n.whatsappChannel(context.Background(), graph, "remote-secret")
	if err != nil {
		t.Fatal(err)
	}
	if err := n.start(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RELEVO_BENCH_APP_SECRET", "remote-secret")
	report := runBench(t, "webhooks", "-url", n.url(), "-channel", ch.ID, "-phone-number-id", benchPhoneID, "-email", email,
		"-rate", "20", "-duration", "1s", "-warmup", "0s", "-contacts", "3", "-senders", "4", "-bare=false")
	acc, sched, failed := achieved(t, report)
	if sched < 1 || acc != sched || failed != 0 {
		t.Errorf("accepted %d of %d, %d failed: want all", acc, sched, failed)
	}
	wantLines(t, report, "relevo at http://", "messages some agent socket missed: 0;")
	if storedRe.MatchString(report) {
		t.Errorf("a store count against a server the bench cannot read:\n%s", report)
	}
	if in, err := storedCustomerMessages(context.Background(), n.app.Store, ch.ID); err != nil || in != acc {
		t.Errorf("the server stored %d, %v; want the %d accepted", in, err, acc)
	}
}

// Against a running server whose per-visitor limit is below the rate, the
// 429s are counted and the report names the server's flags.
func TestWidgetRunAgainstARunningServerNamesItsLimit(t *testing.T) {
	n, email := remoteNode(t, func(c *app.Config) { c.WidgetRate, c.WidgetBurst = 1, 2 })
	ch, err := n.webChannel(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := n.start(); err != nil {
		t.Fatal(err)
	}
	report := runBench(t, "widget", "-url", n.url(), "-channel", ch.ID, "-email", email, "-visitors", "2",
		"-rate", "20", "-duration", "1s", "-warmup", "0s", "-senders", "2", "-bare=false")
	acc, _, failed := achieved(t, report)
	if acc < 1 || failed < 1 {
		t.Errorf("accepted %d, failed %d: want the bursts through and the rest refused", acc, failed)
	}
	wantLines(t, report, "failures by kind: HTTP 429 rate_limited × "+strconv.Itoa(failed)+"\n",
		"429 seen: each visitor's limit (the server's own --widget-rate/--widget-burst)", "messages the visitor's socket missed: 0\n")
}
