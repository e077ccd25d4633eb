// Package wsconn is one server-side WebSocket connection, the one both the
// console's hub (internal/realtime) and the widget's (internal/channel/web)
// serve their sockets with. It owns the connection's mechanics: a bounded
// send queue, the single writer that batches queued frames into one write,
// the read limit, pings, closing exactly once with one code, and the close
// handshake on shutdown.
//
// It must never decide who sees what (that is each hub's routing), never
// parse or build frames (the bytes it sends are the hub's), and never block
// the caller of Send: a hub routes under its lock, so a slow peer may only
// ever cost that peer its connection.
//
// One behaviour for every socket, where the two hubs had drifted:
//   - a peer that cannot keep up, whether its queue overflows or a write to
//     it fails or times out, is closed with 1008 policy violation and the
//     reason "too slow: reconnect and resync" (ReasonTooSlow): the client
//     reconnects and catches up by seq, nothing is silently skipped;
//   - a peer that does not answer a ping within WriteTimeout is closed with
//     1008 "ping timeout";
//   - a peer's close (or a broken connection) ends the socket with the
//     peer's code (1000 when there was none);
//   - the server's shutdown closes with 1001 "server shutting down", and the
//     close handshake is still sent after the shutdown context has ended.
//
// The first close wins: later ones, from any goroutine, do nothing.
package wsconn
