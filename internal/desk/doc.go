// Package desk holds Relevo's domain: the objects of a contact center desk
// (bots, channels, contacts, conversations, messages, users), the lifecycle
// rules that move a conversation from bot to human to closed, and the stable
// error codes every adapter maps to its own protocol.
//
// It imports nothing of the project and never touches I/O: the rules here
// are pure functions over values, so they can be tested exhaustively and
// reused by the store, the HTTP API and the workers alike.
package desk
