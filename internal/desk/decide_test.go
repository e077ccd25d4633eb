package desk

import (
	"testing"
	"time"
)

// TestDecideSetsTheFieldsOfEachAction: the decision carries the next phase
// and every field the action sets, so the store has nothing to derive.
func TestDecideSetsTheFieldsOfEachAction(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	before := now.Add(-time.Hour)
	team, proto, ana_ := "t1", "20260301000001", "ana"
	bot := Conversation{ID: "c", BotID: thisBot, Phase: PhaseBot}
	waiting := Conversation{ID: "c", BotID: thisBot, Phase: PhaseWaiting, TeamID: &team, Protocol: &proto, WaitingSince: &before}
	human := Conversation{ID: "c", BotID: thisBot, Phase: PhaseHuman, AssigneeID: &ana_, TeamID: &team, Protocol: &proto, WaitingSince: &before}
	type want struct {
		phase          Phase
		assignee, team string
		waitingSince   *time.Time
		closed         string
		protocol, lock bool
		clearsLock     bool
	}
	cases := []struct {
		name  string
		a     Action
		c     Conversation
		actor Actor
		to    Target
		want  want
	}{
		{"handover to a team", ActHandover, bot, botToken, Target{TeamID: "t2"}, want{phase: PhaseWaiting, team: "t2", waitingSince: &now, protocol: true}},
		{"handover keeps no team", ActHandover, bot, system, Target{}, want{phase: PhaseWaiting, waitingSince: &now, protocol: true}},
		{"assign to me", ActAssign, waiting, ana, Target{}, want{phase: PhaseHuman, assignee: "ana", team: team, waitingSince: &before, lock: true}},
		{"supervisor assigns Bia", ActAssign, waiting, supervisor, Target{AssigneeID: "bia"}, want{phase: PhaseHuman, assignee: "bia", team: team, waitingSince: &before, lock: true}},
		{"takeover", ActTakeover, bot, auditor, Target{}, want{phase: PhaseHuman, assignee: "aud", protocol: true, lock: true}},
		{"unassign keeps the team", ActUnassign, human, ana, Target{}, want{phase: PhaseWaiting, team: team, waitingSince: &now}},
		{"transfer to an agent", ActTransferAgent, human, ana, Target{AssigneeID: "bia"}, want{phase: PhaseHuman, assignee: "bia", team: team, waitingSince: &before, lock: true}},
		{"transfer to a team", ActTransferTeam, human, supervisor, Target{TeamID: "t2"}, want{phase: PhaseWaiting, team: "t2", waitingSince: &now, lock: true}},
		{"resolve", ActResolve, human, ana, Target{}, want{phase: PhaseClosed, assignee: "ana", team: team, waitingSince: &before, closed: ClosedResolved, clearsLock: true}},
		{"block", ActBlock, bot, supervisor, Target{}, want{phase: PhaseClosed, closed: ClosedBlocked, clearsLock: true}},
		{"auto close", ActAutoClose, waiting, system, Target{}, want{phase: PhaseClosed, team: team, waitingSince: &before, closed: ClosedAutoClosed, clearsLock: true}},
		{"send changes nothing", ActSend, human, ana, Target{}, want{phase: PhaseHuman, assignee: "ana", team: team, waitingSince: &before}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Decide(tc.a, tc.c, tc.actor, now, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			if d.Action != tc.a || d.Phase != w.phase || str(d.AssigneeID) != w.assignee || str(d.TeamID) != w.team {
				t.Fatalf("decision %+v; want %+v", d, w)
			}
			if !sameTime(d.WaitingSince, w.waitingSince) || str(d.ClosedReason) != w.closed {
				t.Fatalf("waiting since %v, closed %q; want %v, %q", d.WaitingSince, str(d.ClosedReason), w.waitingSince, w.closed)
			}
			if (w.closed != "") != (d.ClosedAt != nil && d.ClosedAt.Equal(now)) {
				t.Fatalf("closed_at %v", d.ClosedAt)
			}
			if d.NeedsProtocol != w.protocol || d.StartsLock != w.lock || d.ClearsLock != w.clearsLock {
				t.Fatalf("protocol %v lock %v clears %v; want %v %v %v", d.NeedsProtocol, d.StartsLock, d.ClearsLock, w.protocol, w.lock, w.clearsLock)
			}
		})
	}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// TestDecideRefuses: each check Decide runs, in its order.
func TestDecideRefuses(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	later := now.Add(time.Minute)
	cs := conversations()
	locked := cs[2]
	locked.LockedUntil = &later
	cases := []struct {
		name  string
		a     Action
		c     Conversation
		actor Actor
		to    Target
		want  Code
	}{
		{"outside the scope", ActResolve, cs[3], ana, Target{}, CodeNotFound},
		{"wrong role", ActTakeover, cs[0], ana, Target{}, CodeNotFound},
		{"wrong phase", ActUnassign, cs[1], supervisor, Target{}, CodeInvalidPhase},
		{"lost the race", ActAssign, cs[2], member("bia", RoleAgent), Target{}, CodeAlreadyAssigned},
		{"locked", ActResolve, locked, ana, Target{}, CodeConversationLocked},
		{"agent assigns someone else", ActAssign, cs[1], ana, Target{AssigneeID: "bia"}, CodeForbidden},
		{"a bot takes nothing", ActAssign, cs[1], system, Target{}, CodeForbidden},
	}
	for _, tc := range cases {
		if _, err := Decide(tc.a, tc.c, tc.actor, now, tc.to); !IsCode(err, tc.want) {
			t.Errorf("%s: %v; want %s", tc.name, err, tc.want)
		}
	}
}

func TestAssignTarget(t *testing.T) {
	for _, tc := range []struct {
		actor       Actor
		agent, want string
		code        Code
	}{
		{ana, "", "ana", ok},
		{ana, "ana", "ana", ok},
		{ana, "bia", "", CodeForbidden},
		{auditor, "bia", "", CodeForbidden},
		{supervisor, "bia", "bia", ok},
		{admin, "bia", "bia", ok},
		{botToken, "", "", CodeForbidden},
		{SystemActor, "bia", "bia", ok},
		{SystemActor, "", "", CodeForbidden},
	} {
		got, err := AssignTarget(tc.actor, tc.agent)
		if got != tc.want || ErrorCode(err) != tc.code && !(tc.code == ok && err == nil) {
			t.Errorf("%s assigns %q: %q, %v", describe(tc.actor), tc.agent, got, err)
		}
	}
}

func TestCheckTransfer(t *testing.T) {
	long := make([]byte, 2001)
	for _, tc := range []struct {
		reason, agent, team, note string
		code                      Code
	}{
		{"", "a", "", "", CodeReasonRequired},
		{"r", "", "", "", CodeValidationFailed},
		{"r", "a", "t", "", CodeValidationFailed},
		{"r", "a", "", string(long), CodeValidationFailed},
		{"r", "a", "", "why", ok},
		{"r", "", "t", "", ok},
	} {
		err := CheckTransfer(tc.reason, tc.agent, tc.team, tc.note)
		if (tc.code == ok) != (err == nil) || (err != nil && !IsCode(err, tc.code)) {
			t.Errorf("%+v: %v", tc, err)
		}
	}
}
