// Package rtclient is a small Go client for Relevo's console API and its
// real-time socket, used by tests and the benchmark. It implements the
// client half of the protocol in docs/realtime.md: frames carry the
// conversation's seq; duplicates are dropped; on a gap or a reconnect the
// client fetches what it missed with messages?after_seq, so it ends with
// every message exactly once whatever the bus lost.
package rtclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/coder/websocket"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
)

// Client is one logged-in console user.
type Client struct {
	Base string
	HTTP *http.Client
	User desk.User

	mu    sync.Mutex
	convs map[string]*convState
	conn  *websocket.Conn
}

type convState struct {
	seq  int64 // highest seq applied with nothing missing below it
	max  int64 // highest seq seen in a frame
	msgs map[string]desk.Message
	gap  bool
}

// Login logs in with a password and returns a client holding the session.
func Login(ctx context.Context, base, email, password string) (*Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &Client{Base: base, HTTP: &http.Client{Jar: jar}, convs: map[string]*convState{}}
	var out struct {
		User desk.User `json:"user"`
	}
	if err := c.Do(ctx, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password}, &out); err != nil {
		return nil, err
	}
	c.User = out.User
	return c, nil
}

// APIError is a non-2xx answer.
type APIError struct {
	Status int
	Code   string
	Body   string
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Body) }

// Do sends a JSON request and decodes a JSON answer into out (may be nil).
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if resp.StatusCode >= 300 {
		var e struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		return &APIError{Status: resp.StatusCode, Code: e.Error.Code, Body: string(data)}
	}
	if out != nil && len(data) > 0 {
		return json.Unmarshal(data, out)
	}
	return nil
}

// Connect opens the socket (closing any previous one).
func (c *Client) Connect(ctx context.Context) error {
	u, err := url.Parse(c.Base)
	if err != nil {
		return err
	}
	// The socket lives next to the API, over TLS when the API is.
	scheme := "ws"
	if u.Scheme == "https" {
		scheme = "wss"
	}
	wsURL := scheme + "://" + u.Host + strings.TrimSuffix(u.Path, "/") + "/api/v1/ws"
	h := http.Header{}
	h.Set("Origin", c.Base)
	conn, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPClient: c.HTTP, HTTPHeader: h})
	if err != nil {
		return err
	}
	conn.SetReadLimit(16 << 20)
	c.mu.Lock()
	if c.conn != nil {
		_ = c.conn.CloseNow()
	}
	c.conn = conn
	c.mu.Unlock()
	return nil
}

// Close closes the socket.
func (c *Client) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		_ = c.conn.Close(websocket.StatusNormalClosure, "")
		c.conn = nil
	}
}

// ErrNotConnected is returned by Next without a socket.
var ErrNotConnected = errors.New("rtclient: not connected")

// Next reads one frame and applies it to the client's state.
func (c *Client) Next(ctx context.Context) (realtime.Frame, error) {
	f, err := c.Read(ctx)
	if err != nil {
		return f, err
	}
	c.apply(f)
	return f, nil
}

// Read reads and decodes one frame without applying it: the client keeps
// no state for it. Load generators use it (cmd/relevo-bench), since Next
// keeps every message it sees.
func (c *Client) Read(ctx context.Context) (realtime.Frame, error) {
	data, err := c.ReadRaw(ctx)
	if err != nil {
		return realtime.Frame{}, err
	}
	var f realtime.Frame
	err = json.Unmarshal(data, &f)
	return f, err
}

// ReadRaw reads one frame's JSON, undecoded.
func (c *Client) ReadRaw(ctx context.Context) ([]byte, error) {
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn == nil {
		return nil, ErrNotConnected
	}
	_, data, err := conn.Read(ctx)
	return data, err
}

// Send writes a client frame (typing).
func (c *Client) Send(ctx context.Context, f realtime.ClientFrame) error {
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn == nil {
		return ErrNotConnected
	}
	b, _ := json.Marshal(f)
	return conn.Write(ctx, websocket.MessageText, b)
}

func (c *Client) state(id string) *convState {
	s := c.convs[id]
	if s == nil {
		s = &convState{msgs: map[string]desk.Message{}}
		c.convs[id] = s
	}
	return s
}

// apply records a frame: messages by id (a duplicate replaces itself), and
// the seq horizon; a frame past horizon+1 marks a gap for Resync.
func (c *Client) apply(f realtime.Frame) {
	if f.ConversationID == "" || f.Seq == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.state(f.ConversationID)
	if f.Type == realtime.FrameMessageCreated || f.Type == realtime.FrameMessageUpdated {
		var m desk.Message
		if json.Unmarshal(f.Data, &m) == nil {
			s.msgs[m.ID] = m
		}
	}
	s.max = max(s.max, f.Seq)
	switch {
	case f.Seq <= s.seq: // duplicate or old
	case f.Seq == s.seq+1 && !s.gap:
		s.seq = f.Seq
	default:
		s.gap = true
	}
}

// Gaps lists the conversations with a detected gap.
func (c *Client) Gaps() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for id, s := range c.convs {
		if s.gap {
			out = append(out, id)
		}
	}
	return out
}

// Resync fetches every message of conv after the horizon and moves the
// horizon to the conversation's current seq.
func (c *Client) Resync(ctx context.Context, convID string) error {
	var conv desk.Conversation
	if err := c.Do(ctx, "GET", "/api/v1/conversations/"+convID, nil, &conv); err != nil {
		return err
	}
	c.mu.Lock()
	after := c.state(convID).seq
	c.mu.Unlock()
	for {
		var page struct {
			Items []desk.Message `json:"items"`
		}
		q := "/api/v1/conversations/" + convID + "/messages?limit=200&after_seq=" + strconv.FormatInt(after, 10)
		if err := c.Do(ctx, "GET", q, nil, &page); err != nil {
			return err
		}
		c.mu.Lock()
		s := c.state(convID)
		for _, m := range page.Items {
			s.msgs[m.ID] = m
			after = m.Seq
		}
		c.mu.Unlock()
		if len(page.Items) < 200 {
			break
		}
	}
	c.mu.Lock()
	s := c.state(convID)
	if conv.Seq > s.seq {
		s.seq = conv.Seq
	}
	// Frames past what was fetched may have come meanwhile, with holes
	// before them: the gap holds until a later Resync covers them.
	s.gap = s.max > s.seq
	c.mu.Unlock()
	return nil
}

// Messages returns what the client holds for conv, in seq order.
func (c *Client) Messages(convID string) []desk.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.state(convID)
	out := make([]desk.Message, 0, len(s.msgs))
	for _, m := range s.msgs {
		out = append(out, m)
	}
	sortBySeq(out)
	return out
}

func sortBySeq(ms []desk.Message) {
	sort.Slice(ms, func(i, j int) bool { return ms[i].Seq < ms[j].Seq })
}

// SendJSON writes any client frame (call frames carry more than
// ClientFrame's fields).
func (c *Client) SendJSON(ctx context.Context, v any) error {
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn == nil {
		return ErrNotConnected
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return conn.Write(ctx, websocket.MessageText, b)
}
