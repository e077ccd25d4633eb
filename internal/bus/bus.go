// Package bus carries committed changes between Relevo nodes over NATS:
// embedded in the process by default (no port opened), or an external
// cluster when a URL is given. The bus is a hint, never the truth: it may
// lose a message, and subscribers recover from the store by seq.
package bus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/relevo/relevo/internal/desk"
)

// Subject is where changes are published.
const Subject = "relevo.changes"

// originHeader names the node that published a change, so that node skips
// its own changes on NATS: it delivered them in process already.
const originHeader = "Relevo-Origin"

// Bus is a connection to NATS, plus the embedded server when it owns one.
// This node's own changes go to its subscribers in process, payload
// included (local.go); NATS carries them to the other nodes as ids.
type Bus struct {
	nc     *nats.Conn
	srv    *server.Server
	log    *slog.Logger
	origin string
	mu     sync.Mutex
	locals map[*local]struct{}
}

// Open connects to url, or starts an embedded server when url is empty.
func Open(url string, log *slog.Logger) (*Bus, error) {
	if log == nil {
		log = slog.Default()
	}
	var id [12]byte
	_, _ = rand.Read(id[:])
	b := &Bus{log: log, origin: hex.EncodeToString(id[:]), locals: map[*local]struct{}{}}
	opts := []nats.Option{nats.Name("relevo"), nats.MaxReconnects(-1), nats.ReconnectWait(500 * time.Millisecond)}
	if url == "" {
		srv, err := server.NewServer(&server.Options{DontListen: true, NoLog: true, NoSigs: true})
		if err != nil {
			return nil, fmt.Errorf("bus: embedded server: %w", err)
		}
		srv.Start()
		if !srv.ReadyForConnections(10 * time.Second) {
			srv.Shutdown()
			return nil, errors.New("bus: embedded server did not start")
		}
		b.srv = srv
		opts = append(opts, nats.InProcessServer(srv))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		if b.srv != nil {
			b.srv.Shutdown()
		}
		return nil, fmt.Errorf("bus: connect: %w", err)
	}
	b.nc = nc
	return b, nil
}

// Publish announces committed changes: to this node's subscribers in
// process, as they are (payload included), and to the other nodes over
// NATS, as ids (the payload is not encoded: a message may be large, and a
// node that reads back shows the latest state). Failures are logged, not
// returned: the commit already happened and clients catch up by seq.
func (b *Bus) Publish(changes []desk.Change) {
	b.mu.Lock()
	for l := range b.locals {
		l.push(changes)
	}
	b.mu.Unlock()
	for _, c := range changes {
		data, err := json.Marshal(c)
		if err != nil {
			continue
		}
		m := &nats.Msg{Subject: Subject, Data: data, Header: nats.Header{originHeader: []string{b.origin}}}
		if err := b.nc.PublishMsg(m); err != nil {
			b.log.Warn("bus: publish", "type", c.Type, "err", err)
		}
	}
}

// Subscribe calls fn for every change published by any node: this node's
// in process, in publication order, the others' from NATS.
func (b *Bus) Subscribe(fn func(desk.Change)) (func(), error) {
	sub, err := b.nc.Subscribe(Subject, func(m *nats.Msg) {
		if m.Header.Get(originHeader) == b.origin {
			return
		}
		var c desk.Change
		if json.Unmarshal(m.Data, &c) == nil {
			fn(c)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("bus: subscribe: %w", err)
	}
	l := newLocal(fn, b.log)
	b.mu.Lock()
	b.locals[l] = struct{}{}
	b.mu.Unlock()
	return func() {
		_ = sub.Unsubscribe()
		b.mu.Lock()
		delete(b.locals, l)
		b.mu.Unlock()
		l.stop()
	}, nil
}

// Ping checks the bus answers (readiness).
func (b *Bus) Ping(ctx context.Context) error {
	if !b.nc.IsConnected() {
		return errors.New("bus: not connected")
	}
	deadline, ok := ctx.Deadline()
	timeout := 2 * time.Second
	if ok {
		timeout = time.Until(deadline)
	}
	return b.nc.FlushTimeout(timeout)
}

// Close drains the connection and stops the embedded server.
func (b *Bus) Close() {
	b.mu.Lock()
	locals := b.locals
	b.locals = map[*local]struct{}{}
	b.mu.Unlock()
	for l := range locals {
		l.stop()
	}
	if b.nc != nil {
		_ = b.nc.Drain()
		b.nc.Close()
	}
	if b.srv != nil {
		b.srv.Shutdown()
		b.srv.WaitForShutdown()
	}
}
