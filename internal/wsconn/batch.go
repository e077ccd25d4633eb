package wsconn

import (
	"bufio"
	"net"
	"net/http"
	"sync"
	"time"
)

// Write batching. coder/websocket flushes after every message, so each
// frame cost one write(2) on the server and, usually, one read(2) on the
// client: on a busy floor (every customer message to hundreds of agents)
// those system calls were about half of the node's CPU. A socket's writer now
// corks the connection, writes every frame already waiting in its queue
// (the library frames them into the cork), and uncorks: one write(2) for
// all of them, within the write timeout. A frame alone in the queue goes
// out at once the same way, so batching never delays anything; it only
// happens when frames are already waiting.

// maxBatch bounds the frames one write carries (a console queue holds up to 4,096).
const maxBatch = 64

// batchPool holds the buffers of batches in progress, so an idle
// connection keeps none.
var batchPool = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// cork sits between the library's buffered writer and the connection.
// Uncorked, writes go straight through (control frames the library sends
// from the reading goroutine, like pongs and the close frame); corked,
// they are collected until uncork.
type cork struct {
	conn net.Conn
	mu   sync.Mutex
	buf  *[]byte // nil when uncorked
}

func (c *cork) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.buf != nil {
		*c.buf = append(*c.buf, p...)
		return len(p), nil
	}
	return c.conn.Write(p)
}

func (c *cork) cork() {
	c.mu.Lock()
	if c.buf == nil {
		c.buf = batchPool.Get().(*[]byte)
	}
	c.mu.Unlock()
}

// uncork writes what was collected in one write, failing if it takes
// longer than timeout (a client that stopped reading).
func (c *cork) uncork(timeout time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.buf
	if b == nil {
		return nil
	}
	c.buf = nil
	var err error
	if len(*b) > 0 {
		_ = c.conn.SetWriteDeadline(time.Now().Add(timeout))
		_, err = c.conn.Write(*b)
		_ = c.conn.SetWriteDeadline(time.Time{})
	}
	if cap(*b) <= 256<<10 { // a huge frame's buffer is not kept
		*b = (*b)[:0]
		batchPool.Put(b)
	}
	return err
}

// corkingWriter hands websocket.Accept a hijacked connection whose
// buffered writer writes into a cork.
type corkingWriter struct {
	http.ResponseWriter
	cork *cork
}

func (w *corkingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	if err := brw.Writer.Flush(); err != nil { // nothing is pending after the 101; be sure
		return nil, nil, err
	}
	w.cork = &cork{conn: conn}
	// The library's buffered writer now only feeds the cork, which does
	// the batching: a small buffer does (the server's 4 KiB one is let
	// go once the handler returns).
	return conn, bufio.NewReadWriter(brw.Reader, bufio.NewWriterSize(w.cork, 512)), nil
}

func (w *corkingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
