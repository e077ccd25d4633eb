package bench

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// `relevo bench dataset` at a tiny size, on SQLite and (when
// RELEVO_TEST_DATABASE_URL is set) PostgreSQL: the report says the rows
// are there and times every list and search; times are not checked.
func TestDatasetRunGeneratesAndTimesEveryList(t *testing.T) {
	urls := []string{""}
	if u := os.Getenv("RELEVO_TEST_DATABASE_URL"); u != "" {
		urls = append(urls, u)
	}
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		var out bytes.Buffer
		args := []string{"dataset", "-conversations", "200", "-messages-per-conversation", "10", "-batch", "64", "-n", "2"}
		if u != "" {
			args = append(args, "-database-url", u)
		}
		if err := Run(ctx, args, &out); err != nil {
			t.Fatalf("run: %v\n%s", err, out.String())
		}
		report := out.String()
		if !bytes.Contains(out.Bytes(), []byte("200 conversations ready (10 messages each)")) {
			t.Errorf("no ready line:\n%s", report)
		}
		rows := regexp.MustCompile(`(?m)^(search |[a-z]).* (\d+) +2 +[0-9.]+ ms +[0-9.]+ ms .*(pass|FAIL)`).FindAllString(report, -1)
		if len(rows) != len(datasetCases(seedWorldStub())) {
			t.Errorf("%d timed rows, want %d:\n%s", len(rows), len(datasetCases(seedWorldStub())), report)
		}
	}
}

// seedWorldStub is enough of a world to count the cases.
func seedWorldStub() store.SeedWorld {
	return store.SeedWorld{Agents: make([]desk.User, 1), Teams: make([]desk.Team, 1), Channels: make([]desk.Channel, 4)}
}
