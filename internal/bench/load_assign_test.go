package bench

import (
	"context"
	"testing"
	"time"

	"github.com/relevo/relevo/internal/app"
	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
)

// countOwners catches what the race must never produce: two 200 answers
// for one conversation, or one left in the queue.
func TestCountOwnersFindsTwoOwnersAndTheUnowned(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n, err := newNode(ctx, app.Options{}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer n.close()
	emails, err := n.users(ctx, "agent", 2, desk.RoleAgent)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.waiting(ctx, 2); err != nil {
		t.Fatal(err)
	}
	users, err := n.app.Store.ListUsers(ctx, []string{n.bot.ID})
	if err != nil {
		t.Fatal(err)
	}
	var agent desk.User
	for _, u := range users {
		if u.Email == emails[0] {
			agent = u
		}
	}
	if agent, err = n.app.Store.SetStatus(ctx, agent.ID, desk.StatusOnline, ""); err != nil {
		t.Fatal(err)
	}
	list, _, err := n.app.Store.ListConversations(ctx, desk.SystemActor, store.ConversationFilter{Phases: []desk.Phase{desk.PhaseWaiting}, Limit: 10})
	if err != nil || len(list) != 2 {
		t.Fatalf("%d waiting, %v", len(list), err)
	}
	taken, left := list[0].ID, list[1].ID
	if _, err := n.app.Store.Assign(ctx, desk.UserActor(agent), taken, store.AssignInput{}); err != nil {
		t.Fatal(err)
	}
	doubles, unowned, err := countOwners(ctx, n.app.Store, []string{taken, left}, map[string][]string{taken: {agent.ID, "someone-else"}})
	if err != nil {
		t.Fatal(err)
	}
	if doubles != 1 || unowned != 1 {
		t.Errorf("doubles %d, unowned %d: want 1 and 1", doubles, unowned)
	}
	if doubles, unowned, _ = countOwners(ctx, n.app.Store, []string{taken}, map[string][]string{taken: {agent.ID}}); doubles != 0 || unowned != 0 {
		t.Errorf("one owner counted as doubles %d, unowned %d", doubles, unowned)
	}
}
