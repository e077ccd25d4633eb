package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// Corked, writes are collected and go out together on uncork; uncorked,
// they go straight through (the pongs and close frames the library sends
// from the reading goroutine).
func TestCorkHoldsWritesUntilUncorked(t *testing.T) {
	t.Parallel()
	a, b := net.Pipe() // synchronous: a write reaching a blocks until b reads
	defer a.Close()
	defer b.Close()
	c := &cork{conn: a}
	c.cork()
	for _, p := range []string{"one,", "two,"} {
		if _, err := c.Write([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan error, 1)
	go func() { errs <- c.uncork(time.Minute) }()
	got := make([]byte, len("one,two,"))
	if _, err := io.ReadFull(b, got); err != nil || string(got) != "one,two," {
		t.Fatalf("after uncork read %q, %v", got, err)
	}
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	go func() { _, err := c.Write([]byte("three")); errs <- err }()
	got = make([]byte, len("three"))
	if _, err := io.ReadFull(b, got); err != nil || string(got) != "three" {
		t.Fatalf("uncorked write read %q, %v", got, err)
	}
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}

// A burst queued faster than the writer drains it goes out in batches:
// every frame arrives whole and in order however the writes were grouped,
// a frame larger than a batch buffer included.
func TestABurstOfFramesArrivesWholeAndInOrder(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := newHubWorld(t, Options{})
	fs := w.dial(t, ctx, w.agent)
	var want []string
	w.hub.ofUser(w.agent.ID, func(s *socket) {
		for i := range 200 {
			name := fmt.Sprintf("frame %d", i)
			if i == 100 {
				name = strings.Repeat("x", 300<<10)
			}
			want = append(want, name)
			s.enqueue(encode(FrameTyping, "", 0, Typing{Name: name}))
		}
	})
	for i, name := range want {
		f := fs.next(t, ctx)
		var ty Typing
		if err := json.Unmarshal(f.Data, &ty); err != nil || f.Type != FrameTyping || ty.Name != name {
			t.Fatalf("frame %d: %s %.40q (%v), want typing %.40q", i, f.Type, ty.Name, err, name)
		}
	}
}
