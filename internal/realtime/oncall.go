package realtime

import "github.com/relevo/relevo/internal/desk"

// FrameAgentCall tells the supervisors of a call's bot that its agent is
// now on a call or off it (the floor's "On a call"). A frame of its own,
// not agent.status: presence and talking change independently, and every
// other reader of agent.status stays as it is.
const FrameAgentCall FrameType = "agent.call"

// AgentCall is whether an agent is on an accepted call now.
type AgentCall struct {
	UserID string `json:"user_id"`
	OnCall bool   `json:"on_call"`
}

// agentCall follows a call into or out of the accepted state. The store
// is read rather than the change trusted alone: the agent may still be on
// another accepted call when this one ends.
func (h *Hub) agentCall(c desk.Call) {
	if c.AgentID == "" || (c.State != desk.CallAccepted && c.State != desk.CallEnded) {
		return // ringing, declined, missed, cancelled: never was talking
	}
	on, err := h.store.OnCall(h.ctx, []string{c.AgentID})
	if err != nil {
		h.log.Warn("realtime: on call", "agent", c.AgentID, "err", err)
		return
	}
	frame := encode(FrameAgentCall, "", 0, AgentCall{UserID: c.AgentID, OnCall: on[c.AgentID]})
	h.each(func(s *socket) {
		if s.actor.User.Role.Supervises() && s.actor.User.MemberOf(c.BotID) {
			s.enqueue(frame)
		}
	})
}
