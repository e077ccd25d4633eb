// Package jobs runs Relevo's background work: the outbox worker that
// delivers every outbound thing (customer messages per channel, bot
// webhooks) with retries, and the sweeper that closes what is due.
//
// Workers hold nothing that matters: every item and deadline is a row, and
// claims are leases, so any number of nodes can run these at once and a node
// that dies loses nothing.
package jobs
