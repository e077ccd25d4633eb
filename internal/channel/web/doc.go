// Package web is the web chat widget's customer side: visitor sessions
// (anonymous, or identified by an HMAC of the channel's secret so a
// logged-in customer keeps one contact across devices), the customer's view
// of its conversation, its messages and uploads into the store, a small
// socket hub pushing replies, notices and agents' typing to the visitor's
// browsers, the loader script and the widget's files, and the outbox
// sender for web channels (a web message is delivered once stored: the
// widget reads it from there).
//
// It must never let a widget token reach anything but its own contact's
// conversations on its own channel, never show a customer internal notes,
// timeline events or staff ids, never reveal a channel's secret, and never
// answer a browser from an origin the channel does not allow.
package web
