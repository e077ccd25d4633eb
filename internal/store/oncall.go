package store

import (
	"context"
	"fmt"
)

// OnCall reports which of agentIDs have an accepted call now: the floor
// shows them "on a call". Ringing is not talking, and an ended call is
// over, so only the accepted state counts.
func (s *Store) OnCall(ctx context.Context, agentIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(agentIDs) == 0 {
		return out, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT agent_id FROM calls WHERE state = 'accepted' AND agent_id IN (`+
		paramList(1, len(agentIDs))+`)`, anyArgs(agentIDs)...)
	if err != nil {
		return nil, fmt.Errorf("store: on call: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
