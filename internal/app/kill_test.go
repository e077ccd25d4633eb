package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/auth"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/pace"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

var (
	killRate    = flag.Int("kill-rate", 1500, "kill test: customer messages a second offered (open loop, as fast as possible up to it)")
	killAfter   = flag.Duration("kill-after", 1500*time.Millisecond, "kill test: how far into the run the server gets SIGKILL")
	killSenders = flag.Int("kill-senders", 128, "kill test: most requests in flight at once")
)

// What became of one message the test sent.
const (
	unsent     int32 = iota
	inFlight         // sent, no answer (yet): may or may not be stored
	acked            // 2xx: must be stored, once
	refusedMsg       // another status: a setup fault here (token rate, body)
)

// TestKillMidRunLosesNothingAcknowledged is issue 12's "no message
// acknowledged and then lost": relevo serve runs as a process of its own,
// customer messages arrive open-loop through the API channel, the process
// gets SIGKILL while requests are in flight, and after a restart on the
// same data every message that got a 2xx is stored exactly once. Counts
// only; no time is asserted.
func TestKillMidRunLosesNothingAcknowledged(t *testing.T) {
	if os.Getenv(killChildEnv) != "" {
		serveAsChild()
		return
	}
	t.Run("sqlite", func(t *testing.T) { killRun(t, t.TempDir(), "") })
	t.Run("postgres", func(t *testing.T) {
		// A fresh schema (skipped without a server), migrated by its store,
		// which the server then opens as a second node would.
		db := storetest.Open(t, "postgres", nil)
		killRun(t, t.TempDir(), db.URL)
	})
}

// killTarget is what the run posts to: an API channel of a bot without a
// flow (its conversations go to the queue) and a token of that bot.
type killTarget struct {
	channel, token string
	contacts       int
}

func killSetup(t *testing.T, dir, dbURL string) killTarget {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{DataDir: dir, DatabaseURL: dbURL})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b, err := s.CreateBot(ctx, desk.Bot{Name: "Kill test"})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := s.CreateChannel(ctx, desk.Channel{BotID: b.ID, Type: desk.ChannelAPI, Name: "kill api"})
	if err != nil {
		t.Fatal(err)
	}
	plain, hash, err := auth.NewToken(auth.APITokenPrefix)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateToken(ctx, "kill test", b.ID, "", hash); err != nil {
		t.Fatal(err)
	}
	return killTarget{channel: ch.ID, token: plain, contacts: 100}
}

func killRun(t *testing.T, dir, dbURL string) {
	target := killSetup(t, dir, dbURL)
	// The token's rate must allow the offered rate: the server's default
	// for tokens without a limit of their own comes from the flags' twins.
	env := []string{"RELEVO_DATA=" + dir, "RELEVO_DATABASE_URL=" + dbURL,
		"RELEVO_TOKEN_RATE=" + strconv.Itoa(2**killRate), "RELEVO_TOKEN_BURST=" + strconv.Itoa(4**killRate)}
	srv := startServer(t, env...)

	n := *killRate * 10 // more than the run can send before the kill
	state := make([]atomic.Int32, n)
	sendCtx, stopSending := context.WithCancel(context.Background())
	defer stopSending()
	var inflight, ackCount atomic.Int64
	var firstRefusal atomic.Value
	c := killClient()
	start := time.Now()
	sent := make(chan int) // how many were handed to senders
	go func() {
		sent <- pace.OpenLoop(sendCtx, start, n, float64(*killRate), *killSenders, func(i int) {
			state[i].Store(inFlight)
			inflight.Add(1)
			defer inflight.Add(-1)
			code, _, err := postKillMessage(c, srv.url, target, i)
			switch {
			case err != nil:
				// No answer: the kill came first.
			case code/100 == 2:
				state[i].Store(acked)
				ackCount.Add(1)
			default:
				state[i].Store(refusedMsg)
				firstRefusal.CompareAndSwap(nil, fmt.Sprintf("message %d: status %d", i, code))
			}
		})
	}()
	// The kill lands past killAfter, once some messages are acknowledged,
	// and while some are in flight (counts, so a slow machine only waits
	// longer). The scheduler's send loop never waits for answers.
	for time.Since(start) < *killAfter || ackCount.Load() < 100 || inflight.Load() == 0 {
		if time.Since(start) > 2*time.Minute {
			t.Fatalf("after 2 minutes: %d acknowledged, %d in flight", ackCount.Load(), inflight.Load())
		}
		select {
		case <-srv.done:
			t.Fatalf("relevo serve exited on its own:\n%s", srv.tail())
		case <-time.After(time.Millisecond):
		}
	}
	killedAt := time.Since(start)
	stopSending() // what is already sent stays in flight
	srv.kill()
	scheduled := <-sent

	var ackN, unanswered, refused int
	var retry []int
	for i := range scheduled {
		switch state[i].Load() {
		case inFlight:
			unanswered++
			retry = append(retry, i)
		case acked:
			ackN++
		case refusedMsg:
			refused++
		}
	}
	if refused > 0 {
		t.Errorf("%d messages were refused, the first: %v", refused, firstRefusal.Load())
	}
	t.Logf("sent %d in %v (%.0f msg/s reached of %d offered), %d acknowledged, %d unanswered at the SIGKILL",
		scheduled, killedAt.Round(time.Millisecond), float64(scheduled)/killedAt.Seconds(), *killRate, ackN, unanswered)

	// The restart, on the same data. A client retries what got no answer
	// with the same id; an answer "duplicate" says the message was stored
	// though its first request was never answered.
	srv = startServer(t, env...)
	storedUnanswered := 0
	for _, i := range retry {
		code, dup, err := postKillMessage(c, srv.url, target, i)
		if err != nil || code/100 != 2 {
			t.Fatalf("retry of message %d after the restart: %d %v", i, code, err)
		}
		if dup {
			storedUnanswered++
		}
	}
	srv.stop(t)

	stored := storedByID(t, dir, dbURL, target.channel)
	lost, twice, missing := 0, 0, 0
	for i := range scheduled {
		k := stored[killMessageID(i)]
		switch st := state[i].Load(); {
		case st == acked && k == 0:
			lost++
			if lost <= 5 {
				t.Errorf("message %d was acknowledged, then lost", i)
			}
		case k > 1:
			twice++
			t.Errorf("message %d is stored %d times", i, k)
		case st == inFlight && k != 1:
			missing++ // retried after the restart with a 2xx: must be there
		}
	}
	if missing > 0 {
		t.Errorf("%d messages retried after the restart (answered 2xx) are not stored", missing)
	}
	if len(stored) > scheduled {
		t.Errorf("%d message ids stored, only %d were sent", len(stored), scheduled)
	}
	t.Logf("sent %d, acknowledged %d, unanswered %d (of which stored before the answer: %d), stored %d ids after retries, lost %d, stored twice %d",
		scheduled, ackN, unanswered, storedUnanswered, len(stored), lost, twice)
	if ackN == 0 || unanswered == 0 {
		t.Errorf("the kill must land with messages acknowledged and in flight: %d acknowledged, %d unanswered", ackN, unanswered)
	}
}

func killClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = *killSenders
	return &http.Client{Transport: tr, Timeout: time.Minute}
}

func killMessageID(i int) string { return "kill-" + strconv.Itoa(i) }

// postKillMessage sends message i; err is set when no answer came.
func postKillMessage(c *http.Client, base string, k killTarget, i int) (code int, duplicate bool, err error) {
	contact := "kill-contact-" + strconv.Itoa(i%k.contacts)
	body, _ := json.Marshal(map[string]map[string]string{
		"contact": {"external_id": contact, "name": "Customer " + contact},
		"message": {"id": killMessageID(i), "text": "message " + strconv.Itoa(i)},
	})
	req, err := http.NewRequest("POST", base+"/api/v1/channels/"+k.channel+"/inbound", bytes.NewReader(body))
	if err != nil {
		return 0, false, err
	}
	req.Header.Set("Authorization", "Bearer "+k.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return 0, false, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, false, err // the status came, the body did not: no answer
	}
	var out struct {
		Duplicate bool `json:"duplicate"`
	}
	_ = json.Unmarshal(raw, &out)
	return res.StatusCode, out.Duplicate, nil
}

// storedByID counts the channel's stored messages per external id,
// straight from the database the server wrote (read-only).
func storedByID(t *testing.T, dir, dbURL, channel string) map[string]int {
	t.Helper()
	driver, dsn := "pgx", dbURL
	if dbURL == "" {
		driver, dsn = "sqlite", "file:"+filepath.Join(dir, "relevo.db")+"?_pragma=query_only(1)&_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT external_id, COUNT(*) FROM messages WHERE channel_id = $1 AND external_id LIKE 'kill-%' GROUP BY external_id`, channel)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var k int
		if err := rows.Scan(&id, &k); err != nil {
			t.Fatal(err)
		}
		out[id] = k
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
