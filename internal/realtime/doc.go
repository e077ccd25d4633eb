// Package realtime pushes committed changes to browsers over WebSocket:
// agents' consoles, supervisors' monitors. Every node subscribes to the bus
// and delivers what its own sockets may see, reading the objects from the
// store (the truth), never from the bus message.
//
// Delivery is at-least-once and may have holes (the bus may lose a
// message, a slow socket is closed): every conversation frame carries the
// conversation's seq, so clients drop duplicates and, on a gap or a
// reconnect, fetch what they missed with messages?after_seq. A socket that
// cannot keep up is closed with a policy-violation code, never silently
// skipped.
//
// This package is the routing (who may see what), the counters and
// presence; each socket's connection (queue, batched writes, pings,
// closing) is internal/wsconn's, shared with the widget's hub.
package realtime
