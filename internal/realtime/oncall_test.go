package realtime_test

import (
	"testing"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
)

// awaitOnCall reads c until an agent.call frame for agentID arrives and
// checks what it says.
func awaitOnCall(t *testing.T, c *rtclient.Client, agentID string, want bool) {
	t.Helper()
	ctx := testContext(t)
	seen := await(t, ctx, c, "agent.call", func(f realtime.Frame) bool { return f.Type == realtime.FrameAgentCall })
	if got := decode[realtime.AgentCall](t, seen[len(seen)-1]); got != (realtime.AgentCall{UserID: agentID, OnCall: want}) {
		t.Fatalf("%s got %+v, want on_call %v for %s", c.User.Name, got, want, agentID)
	}
}

// The supervisor of the call's bot hears when its agent starts talking
// and when the call ends; ringing says nothing, and a supervisor of
// another bot hears nothing at all.
func TestSupervisorSeesWhoIsOnACall(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	olga := newUser(t, ctx, n.Store, "Olga", desk.RoleSupervisor, f.other.ID)
	w, conv := callSetup(t, ctx, f, n.URL(), n.URL(), desk.CallsAudio)
	ana := connect(t, ctx, n.URL(), f.ana)
	sue := connect(t, ctx, n.URL(), f.sue)
	other := connect(t, ctx, n.URL(), olga)

	sendCall(t, ctx, ana, m{"type": "call.start", "conversation_id": conv, "media": "audio"})
	st := decode[realtime.CallView](t, callFrame(t, ctx, ana, realtime.FrameCallState))
	w.await(ctx, realtime.FrameCallRinging)
	w.send(ctx, m{"type": "call.accept", "call_id": st.ID})
	callFrame(t, ctx, ana, realtime.FrameCallState)
	// The first agent.call Sue gets says talking: ringing sent none.
	awaitOnCall(t, sue, f.ana.ID, true)
	sendCall(t, ctx, ana, m{"type": "call.hangup", "call_id": st.ID})
	awaitOnCall(t, sue, f.ana.ID, false)

	// Olga (bot Sales) got none of it: the barrier comes after both.
	for _, fr := range barrier(t, ctx, n.Store, f.carl.ID, other) {
		if fr.Type == realtime.FrameAgentCall {
			t.Errorf("Olga got %s %s", fr.Type, fr.Data)
		}
	}
}
