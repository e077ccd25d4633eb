package store

import (
	"context"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// A party going away (docs/realtime.md, "A party goes away"): the hubs
// notice a party's last socket closing and, once desk.CallPartyGrace has
// passed without it coming back, end its live call here, as desk's gone
// action says (ended, cancelled or missed), for both parties to see.

// EndCustomerGoneCall ends the live call of a conversation whose
// customer's last widget socket closed and did not come back.
func (s *Store) EndCustomerGoneCall(ctx context.Context, conversationID string) (int, error) {
	return s.endCalls(ctx, `conversation_id = $1 AND state IN ('ringing', 'accepted')`, desk.ActGone, desk.PartyCustomer,
		func(*txn) []any { return []any{conversationID} })
}

// EndAgentGoneCalls ends the live calls of an agent whose last socket on
// a node closed at goneAt, unless a node renewed them since (KeepCallsAlive:
// the agent reconnected, or still has a tab on another node, whose
// heartbeat renews them).
func (s *Store) EndAgentGoneCalls(ctx context.Context, agentID string, goneAt time.Time) (int, error) {
	return s.endCalls(ctx, `agent_id = $1 AND alive_at <= $2 AND state IN ('ringing', 'accepted')`, desk.ActGone, desk.PartyAgent,
		func(*txn) []any { return []any{agentID, ms(goneAt)} })
}
