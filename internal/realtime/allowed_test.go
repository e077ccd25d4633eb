package realtime_test

import (
	"slices"
	"testing"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store"
)

// TestConversationFramesCarryEachViewersAllowedActions: one change, one
// conversation.updated frame per viewer, each with what that viewer may do
// (desk.AllowedActions), so the console never works it out itself.
func TestConversationFramesCarryEachViewersAllowedActions(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	ana := connect(t, ctx, n.URL(), f.ana)
	bob := connect(t, ctx, n.URL(), f.bob)
	sue := connect(t, ctx, n.URL(), f.sue)

	id := f.waiting(t, ctx, "")
	must(n.Store.Assign(ctx, desk.UserActor(f.ana), id, store.AssignInput{}))(t)
	mine := func(c desk.Conversation) bool { return c.Phase == desk.PhaseHuman }
	// What each may do, the lock aside: the frame may come while the
	// hand-over's lock holds or after it ended.
	want := map[string]struct {
		who *rtclient.Client
		all []desk.Verb
	}{
		"Ana, who holds it": {ana, []desk.Verb{desk.VerbUnassign, desk.VerbTransfer, desk.VerbResolve, desk.VerbBlock,
			desk.VerbTag, desk.VerbReply, desk.VerbNote, desk.VerbMarkRead}},
		"Sue, supervisor": {sue, []desk.Verb{desk.VerbUnassign, desk.VerbTransfer, desk.VerbResolve, desk.VerbBlock,
			desk.VerbTag, desk.VerbNote, desk.VerbMarkRead}},
		// Bob saw it waiting; it has left his sight: nothing to do.
		"Bob, colleague": {bob, nil},
	}
	for name, w := range want {
		frames := await(t, ctx, w.who, name, conversationFrame(t, id, mine))
		got := decode[desk.Conversation](t, frames[len(frames)-1])
		var all []desk.Verb
		for _, v := range desk.Verbs {
			if slices.Contains(got.AllowedActions, v) || slices.Contains(got.ActionsAfterLock, v) {
				all = append(all, v)
			}
		}
		if !slices.Equal(all, w.all) {
			t.Errorf("%s: allowed_actions %v, after lock %v; want %v in all", name, got.AllowedActions, got.ActionsAfterLock, w.all)
		}
	}
}
