package desk

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

var allPhases = []Phase{PhaseBot, PhaseWaiting, PhaseHuman, PhaseClosed}

var allActions = []Action{ActHandover, ActAssign, ActTakeover, ActUnassign, ActTransferAgent, ActTransferTeam,
	ActResolve, ActAutoClose, ActBlock, ActSend, ActTag, ActNote}

// lifecycleTable is DESIGN.md's lifecycle table written out again by hand:
// the phases each action may start from and where it leads.
var lifecycleTable = map[Action]struct {
	from []Phase
	to   Phase
}{
	ActHandover:      {[]Phase{PhaseBot}, PhaseWaiting},
	ActAssign:        {[]Phase{PhaseWaiting}, PhaseHuman},
	ActTakeover:      {[]Phase{PhaseBot}, PhaseHuman},
	ActUnassign:      {[]Phase{PhaseHuman}, PhaseWaiting},
	ActTransferAgent: {[]Phase{PhaseHuman}, PhaseHuman},
	ActTransferTeam:  {[]Phase{PhaseHuman}, PhaseWaiting},
	ActResolve:       {[]Phase{PhaseWaiting, PhaseHuman}, PhaseClosed},
	ActAutoClose:     {[]Phase{PhaseBot, PhaseWaiting, PhaseHuman}, PhaseClosed},
	ActBlock:         {[]Phase{PhaseBot, PhaseWaiting, PhaseHuman}, PhaseClosed},
}

func TestTransitionFollowsTheLifecycleTable(t *testing.T) {
	for a, row := range lifecycleTable {
		for _, from := range row.from {
			t.Run(fmt.Sprintf("%s from %s", a, from), func(t *testing.T) {
				to, err := Transition(a, from)
				if err != nil || to != row.to {
					t.Fatalf("Transition = %s, %v; want %s", to, err, row.to)
				}
			})
		}
	}
}

// TestTransitionRefusesEveryOtherPhase walks every action × every phase it
// may not start from.
func TestTransitionRefusesEveryOtherPhase(t *testing.T) {
	refused := 0
	for a, row := range lifecycleTable {
		for _, from := range allPhases {
			if slices.Contains(row.from, from) {
				continue
			}
			refused++
			t.Run(fmt.Sprintf("%s from %s", a, from), func(t *testing.T) {
				to, err := Transition(a, from)
				want := CodeInvalidPhase
				if a == ActAssign && from == PhaseHuman {
					want = CodeAlreadyAssigned // someone got there first
				}
				if ErrorCode(err) != want || to != from {
					t.Fatalf("Transition = %s, %v; want %s and phase unchanged", to, err, want)
				}
				var de *Error
				if errors.As(err, &de) && want == CodeInvalidPhase && de.Details["phase"] != string(from) {
					t.Fatalf("details = %v, want phase %s", de.Details, from)
				}
			})
		}
	}
	// 9 actions × 4 phases minus the 14 allowed starts.
	if refused != 22 {
		t.Fatalf("refused %d transitions, want 22", refused)
	}
}

func TestTransitionLeavesNonLifecycleActionsInPlace(t *testing.T) {
	for _, a := range []Action{ActSend, ActTag, ActNote} {
		for _, p := range allPhases {
			if to, err := Transition(a, p); err != nil || to != p {
				t.Errorf("Transition(%s, %s) = %s, %v; want no change", a, p, to, err)
			}
		}
	}
}

func TestOnlyAssignTakeoverAndTransfersStartTheLock(t *testing.T) {
	for _, a := range allActions {
		want := a == ActAssign || a == ActTakeover || a == ActTransferAgent || a == ActTransferTeam
		if a.StartsLock() != want {
			t.Errorf("%s.StartsLock() = %v, want %v", a, !want, want)
		}
	}
}

// restrictedActions are DESIGN.md's five: send, transfer (to agent or
// team), block, resolve, tag.
var restrictedActions = map[Action]bool{ActSend: true, ActTransferAgent: true, ActTransferTeam: true,
	ActBlock: true, ActResolve: true, ActTag: true}

func TestCheckLockRefusesExactlyTheRestrictedActions(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	until := now.Add(12300 * time.Millisecond)
	locked := Conversation{Phase: PhaseHuman, LockedUntil: &until}
	for _, a := range allActions {
		t.Run(string(a), func(t *testing.T) {
			if a.Restricted() != restrictedActions[a] {
				t.Fatalf("Restricted() = %v", a.Restricted())
			}
			err := CheckLock(a, locked, now)
			if !restrictedActions[a] {
				if err != nil {
					t.Fatalf("CheckLock = %v, want free", err)
				}
				return
			}
			var de *Error
			if !errors.As(err, &de) || de.Code != CodeConversationLocked {
				t.Fatalf("CheckLock = %v, want conversation_locked", err)
			}
			// 12.3 s left is told as 13 s: a client that waits that long finds it free.
			if de.RetryAfter != 13*time.Second || de.Details["retry_after_seconds"] != 13 {
				t.Fatalf("retry after %v, details %v; want 13 s", de.RetryAfter, de.Details)
			}
		})
	}
}

func TestCheckLockRetryAfterIsAtLeastOneSecond(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		left time.Duration
		want time.Duration
	}{{time.Millisecond, time.Second}, {time.Second, time.Second}, {1001 * time.Millisecond, 2 * time.Second}, {30 * time.Second, 30 * time.Second}} {
		until := now.Add(tc.left)
		err := CheckLock(ActSend, Conversation{LockedUntil: &until}, now)
		var de *Error
		if !errors.As(err, &de) || de.RetryAfter != tc.want {
			t.Errorf("left %v: CheckLock = %v (%+v), want retry after %v", tc.left, err, de, tc.want)
		}
	}
}

func TestCheckLockIsFreeWhenUnlockedOrExpired(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	past, exact := now.Add(-time.Second), now
	for name, c := range map[string]Conversation{
		"never locked":    {},
		"expired":         {LockedUntil: &past},
		"ends right now":  {LockedUntil: &exact},
		"closed, expired": {Phase: PhaseClosed, LockedUntil: &past},
	} {
		for a := range restrictedActions {
			if err := CheckLock(a, c, now); err != nil {
				t.Errorf("%s: CheckLock(%s) = %v, want free", name, a, err)
			}
		}
	}
}

func TestCheckAssigneeWantsAnOnlineMember(t *testing.T) {
	const bot = "b1"
	user := func(role Role, status UserStatus, bots ...string) User {
		return User{ID: "u", Name: "Ana", Role: role, Status: status, BotIDs: bots}
	}
	for _, tc := range []struct {
		name   string
		target User
		self   bool
		want   Code // "" means accepted
	}{
		{"online agent member", user(RoleAgent, StatusOnline, bot), false, ""},
		{"online agent taking it itself", user(RoleAgent, StatusOnline, bot), true, ""},
		{"offline agent", user(RoleAgent, StatusOffline, bot), false, CodeAgentUnavailable},
		{"paused agent", user(RoleAgent, StatusPaused, bot), false, CodeAgentUnavailable},
		{"offline agent taking it itself", user(RoleAgent, StatusOffline, bot), true, CodeAgentUnavailable},
		{"paused agent taking it itself", user(RoleAgent, StatusPaused, bot), true, CodeAgentUnavailable},
		{"online agent of another bot", user(RoleAgent, StatusOnline, "b2"), false, CodeAgentUnavailable},
		{"online agent of no bot taking it itself", user(RoleAgent, StatusOnline), true, CodeAgentUnavailable},
		{"offline auditor taking it itself", user(RoleAuditor, StatusOffline, bot), true, ""},
		{"offline supervisor taking it itself", user(RoleSupervisor, StatusOffline, bot), true, ""},
		{"offline admin taking it itself", user(RoleAdmin, StatusOffline), true, ""},
		{"offline auditor given it by someone", user(RoleAuditor, StatusOffline, bot), false, CodeAgentUnavailable},
		{"auditor of another bot taking it itself", user(RoleAuditor, StatusOnline, "b2"), true, CodeAgentUnavailable},
		{"online admin, member of every bot", user(RoleAdmin, StatusOnline), false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckAssignee(tc.target, bot, tc.self)
			if tc.want == "" && err != nil || tc.want != "" && ErrorCode(err) != tc.want {
				t.Fatalf("CheckAssignee = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestTakerGoesOnlineWhenTakingItself(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status UserStatus
		self   bool
		want   bool
	}{
		{"offline auditor taking it itself", StatusOffline, true, true},
		{"paused supervisor taking it itself", StatusPaused, true, true},
		{"online taker", StatusOnline, true, false},
		{"given by a supervisor", StatusOnline, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := TakerGoesOnline(User{Role: RoleAuditor, Status: tc.status}, tc.self); got != tc.want {
				t.Fatalf("TakerGoesOnline = %v, want %v", got, tc.want)
			}
		})
	}
}
