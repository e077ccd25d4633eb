package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/jobs"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/store/storetest"
)

// Joining a team whose queue is automatic gives the new member the work
// waiting there at once: the membership change wakes the drainer, whose
// safety pass here is an hour away (so only a wake can serve the queue).
func TestJoiningAnAutomaticTeamWakesTheDrainer(t *testing.T) {
	joins := map[string]func(w *storetest.World, team desk.Team, u desk.User){
		"team_members": func(w *storetest.World, team desk.Team, u desk.User) {
			ids := []string{u.ID}
			storetest.Must[desk.Team](t)(w.S.UpdateTeam(w.Ctx, team.ID, store.TeamPatch{MemberIDs: &ids}))
		},
		"user_teams": func(w *storetest.World, team desk.Team, u desk.User) {
			ids := []string{team.ID}
			storetest.Must[desk.User](t)(w.S.UpdateUser(w.Ctx, u.ID, store.UserPatch{TeamIDs: &ids}))
		},
	}
	for name, join := range joins {
		t.Run(name, func(t *testing.T) {
			var drainer *jobs.Assigner // one per database, hearing its commits
			storetest.EachWithOptions(t, func(o *store.Options) {
				d := &jobs.Assigner{Interval: time.Hour}
				drainer = d
				o.OnCommit = func(cs []desk.Change) {
					for _, c := range cs {
						d.OnChange(c)
					}
				}
			}, func(t *testing.T, db *storetest.DB) {
				w := storetest.NewWorld(t, db, storetest.WorldOptions{})
				night := w.Seed().Team(desk.Team{Name: "Night", BotID: w.Bot.ID, Assignment: desk.AssignAutomatic})
				setMaxChats(w, w.Agent2, 3)
				c := queuedFor(w, night.ID)
				drainer.Store = db.Store
				ctx, stop := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { drainer.Run(ctx); close(done) }()
				defer func() { stop(); <-done }()
				// Nobody is in the team yet: a drain gives nothing.
				if n, err := drainer.Drain(w.Ctx); err != nil || n != 0 {
					t.Fatalf("drain of a team without members: %d, %v", n, err)
				}
				join(w, night, w.Agent2)
				for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
					got := w.Get(c.ID)
					if got.Phase == desk.PhaseHuman && got.AssigneeID != nil && *got.AssigneeID == w.Agent2.ID {
						return
					}
					if time.Now().After(deadline) {
						t.Fatalf("Bia joined the automatic team; its waiting conversation is still %s", got.Phase)
					}
				}
			})
		})
	}
}
