// Package bus carries committed changes between Relevo nodes over NATS:
// embedded in the process by default (no port opened), or an external
// cluster when a URL is given. The bus is a hint, never the truth: it may
// lose a message, and subscribers recover from the store by seq.
package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/relevo/relevo/internal/desk"
)

// Subject is where changes are published.
const Subject = "relevo.changes"

// Bus is a connection to NATS, plus the embedded server when it owns one.
type Bus struct {
	nc  *nats.Conn
	srv *server.Server
	log *slog.Logger
}

// Open connects to url, or starts an embedded server when url is empty.
func Open(url string, log *slog.Logger) (*Bus, error) {
	if log == nil {
		log = slog.Default()
	}
	b := &Bus{log: log}
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

// Publish announces committed changes. Failures are logged, not returned:
// the commit already happened and clients catch up by seq.
func (b *Bus) Publish(changes []desk.Change) {
	for _, c := range changes {
		data, err := json.Marshal(c)
		if err != nil {
			continue
		}
		if err := b.nc.Publish(Subject, data); err != nil {
			b.log.Warn("bus: publish", "type", c.Type, "err", err)
		}
	}
}

// Subscribe calls fn for every change published by any node.
func (b *Bus) Subscribe(fn func(desk.Change)) (func(), error) {
	sub, err := b.nc.Subscribe(Subject, func(m *nats.Msg) {
		var c desk.Change
		if json.Unmarshal(m.Data, &c) == nil {
			fn(c)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("bus: subscribe: %w", err)
	}
	return func() { _ = sub.Unsubscribe() }, nil
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
	if b.nc != nil {
		_ = b.nc.Drain()
		b.nc.Close()
	}
	if b.srv != nil {
		b.srv.Shutdown()
		b.srv.WaitForShutdown()
	}
}
