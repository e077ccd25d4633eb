package bench

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"
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
	err := Run(ctx, []string{"ceiling", "-sockets", "2", "-rate", "20", "-duration", "1s", "-warmup", "0s",
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
	for _, want := range []string{"accept → first agent socket", "send → accept (HTTP inbound)", "ceiling ratio, Relevo ÷ bare"} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if n := bytes.Count(out.Bytes(), []byte("ceiling ratio, Relevo ÷ bare")); n != 2 {
		t.Errorf("%d ratio tables, want 2", n)
	}
}
