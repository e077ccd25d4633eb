package desk

import (
	"errors"
	"testing"
	"time"
)

func TestPickAgent(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	agent := func(id string, max, open int, last time.Time) Candidate {
		return Candidate{ID: id, Role: RoleAgent, Status: StatusOnline, MaxChats: max, Open: open, LastAssignedAt: last}
	}
	paused := agent("p", 5, 0, time.Time{})
	paused.Status = StatusPaused
	offline := agent("o", 5, 0, time.Time{})
	offline.Status = StatusOffline
	super := agent("s", 5, 0, time.Time{})
	super.Role = RoleSupervisor
	for _, tc := range []struct {
		name    string
		cands   []Candidate
		exclude string
		want    string
	}{
		{"nobody", nil, "", ""},
		{"most free capacity wins", []Candidate{agent("a", 3, 2, time.Time{}), agent("b", 3, 0, t0)}, "", "b"},
		{"free capacity, not max_chats", []Candidate{agent("a", 10, 9, time.Time{}), agent("b", 2, 0, t0)}, "", "b"},
		{"tie: longest since last assignment", []Candidate{agent("a", 3, 1, t0.Add(time.Minute)), agent("b", 3, 1, t0)}, "", "b"},
		{"tie: never assigned first", []Candidate{agent("a", 3, 1, t0), agent("b", 3, 1, time.Time{})}, "", "b"},
		{"full tie: by id", []Candidate{agent("b", 3, 1, t0), agent("a", 3, 1, t0)}, "", "a"},
		{"at capacity gets nothing", []Candidate{agent("a", 3, 3, time.Time{})}, "", ""},
		{"over capacity gets nothing", []Candidate{agent("a", 2, 3, time.Time{})}, "", ""},
		{"max_chats 0 gets nothing", []Candidate{agent("a", 0, 0, time.Time{})}, "", ""},
		{"paused, offline and supervisors are skipped", []Candidate{paused, offline, super, agent("a", 3, 2, t0)}, "", "a"},
		{"only paused", []Candidate{paused}, "", ""},
		{"re-offered: not back to the same agent", []Candidate{agent("a", 3, 0, time.Time{}), agent("b", 3, 2, t0)}, "a", "b"},
		{"re-offered: waits rather than going back", []Candidate{agent("a", 3, 0, time.Time{})}, "a", ""},
	} {
		got, ok := PickAgent(tc.cands, tc.exclude)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%s: got %q, %v; want %q", tc.name, got, ok, tc.want)
		}
	}
}

func TestCheckAssignment(t *testing.T) {
	for _, tc := range []struct {
		mode    AssignmentMode
		reoffer Seconds
		want    AssignmentMode
		field   string
	}{
		{"", 0, AssignManual, ""},
		{AssignAutomatic, 0, AssignAutomatic, ""},
		{AssignAutomatic, 600, AssignAutomatic, ""},
		{AssignManual, MinReofferAfter, AssignManual, ""},
		{"round_robin", 0, "", "assignment"},
		{"Automatic", 0, "", "assignment"},
		{AssignAutomatic, 5, "", "reoffer_after"},
		{AssignAutomatic, MaxReofferAfter + 1, "", "reoffer_after"},
	} {
		mode := tc.mode
		err := CheckAssignment(&mode, tc.reoffer)
		if tc.field == "" {
			if err != nil || mode != tc.want {
				t.Errorf("%q %d: %v, %q", tc.mode, tc.reoffer, err, mode)
			}
			continue
		}
		var e *Error
		if !IsCode(err, CodeValidationFailed) || !errors.As(err, &e) || e.Details["field"] != tc.field {
			t.Errorf("%q %d: %v; want validation_failed on %s", tc.mode, tc.reoffer, err, tc.field)
		}
	}
}

func TestMayServe(t *testing.T) {
	move := func(p, n Placement) Change { return Change{Type: ChangeConversation, Move: &Move{Prev: p, Next: n}} }
	bot, waiting := Placement{Phase: PhaseBot}, Placement{Phase: PhaseWaiting}
	ana, bia := Placement{Phase: PhaseHuman, AssigneeID: "ana"}, Placement{Phase: PhaseHuman, AssigneeID: "bia"}
	closed := Placement{Phase: PhaseClosed}
	for _, tc := range []struct {
		name string
		c    Change
		want bool
	}{
		{"handover", move(bot, waiting), true},
		{"new conversation straight to the queue", move(Placement{}, waiting), true},
		{"transfer to a team", move(ana, Placement{Phase: PhaseWaiting, TeamID: "t"}), true},
		{"unassign", move(ana, waiting), true},
		{"resolve", move(ana, closed), true},
		{"transfer to an agent", move(ana, bia), true},
		{"an assignment (the drainer's own)", move(waiting, ana), false},
		{"takeover", move(bot, ana), false},
		{"a bot conversation closed", move(bot, closed), false},
		{"no move (a message)", Change{Type: ChangeConversation}, false},
		{"a message", Change{Type: ChangeMessageCreated}, false},
		{"status", Change{Type: ChangeAgentStatus, UserID: "ana"}, true},
		{"capacity", Change{Type: ChangeCapacity}, true},
		{"chat", Change{Type: ChangeChatMessage}, false},
	} {
		if got := MayServe(tc.c); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
