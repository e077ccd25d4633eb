package realtime_test

import (
	"testing"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/realtime"
	"github.com/relevo/relevo/internal/realtime/rtclient"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Deleting a tag reaches every console at once (tags belong to no bot):
// an agent whose open conversation had it, and an agent of another bot.
func TestDeletedTagReachesEverySocket(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	n := startNode(t, app.Config{}, app.Options{})
	f := newFloor(t, ctx, n.Store)
	vip := storetest.Seed{T: t, S: n.Store, Ctx: ctx}.Tag(desk.Tag{Name: "VIP"})
	conv := f.waiting(t, ctx, "")
	must(n.Store.AddTag(ctx, desk.SystemActor, conv, vip.ID))(t)
	admin := newUser(t, ctx, n.Store, "Root", desk.RoleAdmin)
	ana := connect(t, ctx, n.URL(), f.ana)
	carl := connect(t, ctx, n.URL(), f.carl)
	root := connect(t, ctx, n.URL(), admin)
	if err := root.Do(ctx, "DELETE", "/api/v1/tags/"+vip.ID, nil, nil); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*rtclient.Client{"Ana": ana, "Carl": carl} {
		await(t, ctx, c, name+" hears the tag went", func(fr realtime.Frame) bool {
			return fr.Type == realtime.FrameTagDeleted && decode[realtime.TagDeleted](t, fr).TagID == vip.ID
		})
	}
	if got := must(n.Store.GetConversation(ctx, desk.SystemActor, conv))(t); len(got.Tags) != 0 {
		t.Errorf("the conversation still has tags %v", got.Tags)
	}
}

// Across nodes: the change travels on the bus with its tag id.
func TestDeletedTagReachesASocketOnAnotherNode(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	cl := newCluster(t)
	f := newFloor(t, ctx, cl.a.Store)
	vip := storetest.Seed{T: t, S: cl.a.Store, Ctx: ctx}.Tag(desk.Tag{Name: "VIP"})
	ana := connect(t, ctx, cl.b.URL(), f.ana)
	if err := cl.a.Store.DeleteTag(ctx, vip.ID); err != nil {
		t.Fatal(err)
	}
	await(t, ctx, ana, "the deletion on the other node", func(fr realtime.Frame) bool {
		return fr.Type == realtime.FrameTagDeleted && decode[realtime.TagDeleted](t, fr).TagID == vip.ID
	})
}
