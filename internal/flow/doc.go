// Package flow is Relevo's built-in bot: the flow definition a bot stores
// as JSON (typed nodes: message, question, menu, condition, handover, end),
// its validator, and Step, the pure function that moves one conversation
// through a flow by one customer message.
//
// The package owns what a flow means and nothing else: it never touches the
// database, the network or the clock. Step takes the conversation's state
// and the customer's message and says what to send, which attribute to
// save and whether to hand over; the runner in package bot applies that
// through the store. Because Step is pure, a retried delivery computes the
// same replies again, which is what makes running a flow idempotent.
//
// It also matches handover keywords ("agent", "humano", ...), which the
// store checks on every customer message while a bot owns the conversation.
// It imports only the domain package, so the store can validate flows on
// save.
package flow
