package wsconn

import (
	"io"
	"net"
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
