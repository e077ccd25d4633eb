package desk

import (
	"fmt"
	"testing"
)

// The cast of the scope and permission tables: members of bot b1 in every
// role, and outsiders who belong to b2 only.
const thisBot, otherBot = "b1", "b2"

func member(id string, role Role) Actor {
	return UserActor(User{ID: id, Name: id, Role: role, Status: StatusOnline, BotIDs: []string{thisBot}})
}

var (
	ana        = member("ana", RoleAgent) // the assignee of the human conversation below
	auditor    = member("aud", RoleAuditor)
	supervisor = member("sup", RoleSupervisor)
	admin      = UserActor(User{ID: "adm", Name: "adm", Role: RoleAdmin}) // admins belong to every bot
	botToken   = Actor{Integration: true, BotID: thisBot}
	integToken = Actor{Integration: true} // an integration token bound to no bot acts for all
	system     = SystemActor
)

// outsiders may see nothing of bot b1.
var outsiders = map[string]Actor{
	"agent of another bot":      UserActor(User{ID: "x1", Role: RoleAgent, BotIDs: []string{otherBot}}),
	"auditor of another bot":    UserActor(User{ID: "x2", Role: RoleAuditor, BotIDs: []string{otherBot}}),
	"supervisor of another bot": UserActor(User{ID: "x3", Role: RoleSupervisor, BotIDs: []string{otherBot}}),
	"user of no bot":            UserActor(User{ID: "x4", Role: RoleSupervisor}),
	"bot token of another bot":  {Integration: true, BotID: otherBot},
}

// The five conversations every action is tried on, in this order:
// bot phase, waiting, human (Ana's), human (Bia's), closed (was Ana's).
func conversations() [5]Conversation {
	a, b := "ana", "bia"
	return [5]Conversation{
		{ID: "c-bot", BotID: thisBot, Phase: PhaseBot},
		{ID: "c-waiting", BotID: thisBot, Phase: PhaseWaiting},
		{ID: "c-ana", BotID: thisBot, Phase: PhaseHuman, AssigneeID: &a},
		{ID: "c-bia", BotID: thisBot, Phase: PhaseHuman, AssigneeID: &b},
		{ID: "c-closed", BotID: thisBot, Phase: PhaseClosed, AssigneeID: &a},
	}
}

var convNames = [5]string{"bot", "waiting", "human (Ana's)", "human (Bia's)", "closed (Ana's)"}

const (
	ok Code = ""
	nf      = CodeNotFound
	fb      = CodeForbidden
	ip      = CodeInvalidPhase
)

var (
	okAll = [5]Code{ok, ok, ok, ok, ok}
	fbAll = [5]Code{fb, fb, fb, fb, fb}
)

// authorizeTable is who may do what, written from DESIGN.md's lifecycle
// table ("who" column) and its scope rules. Authorize checks scope and role
// only; the phase is Transition's business, except for send, whose rule
// depends on it.
var authorizeTable = map[Action]map[string][5]Code{
	ActHandover: {
		"agent": {nf, fb, fb, nf, fb}, "auditor": fbAll, "supervisor": okAll, "admin": okAll,
		"bot token": okAll, "integration token": okAll, "system": okAll,
	},
	// An agent racing for a queued conversation that a colleague has just
	// taken must be told already_assigned (by Transition), not not_found.
	ActAssign: {
		"agent": {nf, ok, ok, ok, ok}, "auditor": okAll, "supervisor": okAll, "admin": okAll,
		"bot token": fbAll, "integration token": fbAll, "system": okAll,
	},
	ActTakeover: {
		"agent": {nf, fb, fb, nf, fb}, "auditor": okAll, "supervisor": okAll, "admin": okAll,
		"bot token": fbAll, "integration token": fbAll, "system": okAll,
	},
	ActSend: {
		"agent": {nf, ip, ok, nf, ip}, "auditor": {ip, ip, fb, fb, ip}, "supervisor": {ip, ip, fb, fb, ip},
		"admin": {ip, ip, fb, fb, ip}, "bot token": {ok, ip, ip, ip, ip}, "integration token": {ok, ip, ip, ip, ip},
		"system": okAll,
	},
	ActTag: {
		"agent": {nf, fb, ok, nf, ok}, "auditor": okAll, "supervisor": okAll, "admin": okAll,
		"bot token": okAll, "integration token": okAll, "system": okAll,
	},
	ActNote: {
		"agent": {nf, ok, ok, nf, ok}, "auditor": okAll, "supervisor": okAll, "admin": okAll,
		"bot token": fbAll, "integration token": fbAll, "system": okAll,
	},
	ActAutoClose: {
		"agent": {nf, fb, fb, nf, fb}, "auditor": fbAll, "supervisor": fbAll, "admin": fbAll,
		"bot token": fbAll, "integration token": fbAll, "system": okAll,
	},
}

// The assignee's actions: the assignee or a supervisor.
func init() {
	for _, a := range []Action{ActUnassign, ActTransferAgent, ActTransferTeam, ActResolve, ActBlock} {
		authorizeTable[a] = map[string][5]Code{
			"agent": {nf, fb, ok, nf, ok}, "auditor": fbAll, "supervisor": okAll, "admin": okAll,
			"bot token": fbAll, "integration token": fbAll, "system": okAll,
		}
	}
}

var members = map[string]Actor{"agent": ana, "auditor": auditor, "supervisor": supervisor, "admin": admin,
	"bot token": botToken, "integration token": integToken, "system": system}

func TestAuthorizeEveryActionForEveryRole(t *testing.T) {
	if len(authorizeTable) != len(allActions) {
		t.Fatalf("the table covers %d actions, want %d", len(authorizeTable), len(allActions))
	}
	convs := conversations()
	for a, byActor := range authorizeTable {
		if len(byActor) != len(members) {
			t.Fatalf("%s: the table covers %d actors, want %d", a, len(byActor), len(members))
		}
		for name, want := range byActor {
			for i, c := range convs {
				t.Run(fmt.Sprintf("%s by %s on %s", a, name, convNames[i]), func(t *testing.T) {
					err := Authorize(a, c, members[name])
					if want[i] == ok && err != nil || want[i] != ok && ErrorCode(err) != want[i] {
						t.Fatalf("Authorize = %v, want %q", err, want[i])
					}
				})
			}
		}
	}
}

func TestAuthorizeAnswersNotFoundOutsideScope(t *testing.T) {
	for _, c := range conversations() {
		for name, actor := range outsiders {
			for _, a := range allActions {
				if err := Authorize(a, c, actor); ErrorCode(err) != CodeNotFound {
					t.Errorf("%s by %s on %s: %v, want not_found", a, name, c.ID, err)
				}
			}
		}
	}
}

func TestAgentsSeeTheQueueAndTheirOwnOthersSeeTheirBots(t *testing.T) {
	bia := member("bia", RoleAgent)
	for _, tc := range []struct {
		name  string
		actor Actor
		want  [5]bool // bot, waiting, Ana's, Bia's, closed Ana's
	}{
		{"agent sees the queue and its own", ana, [5]bool{false, true, true, false, true}},
		{"another agent sees the queue and its own", bia, [5]bool{false, true, false, true, false}},
		{"auditor sees everything, bot phase included", auditor, [5]bool{true, true, true, true, true}},
		{"supervisor sees everything", supervisor, [5]bool{true, true, true, true, true}},
		{"admin sees every bot", admin, [5]bool{true, true, true, true, true}},
		{"bot token sees its bot", botToken, [5]bool{true, true, true, true, true}},
		{"integration token without bot sees all", integToken, [5]bool{true, true, true, true, true}},
		{"system sees all", system, [5]bool{true, true, true, true, true}},
	} {
		for i, c := range conversations() {
			if got := tc.actor.CanSee(c); got != tc.want[i] {
				t.Errorf("%s: CanSee(%s) = %v", tc.name, convNames[i], got)
			}
		}
	}
	for name, actor := range outsiders {
		for _, c := range conversations() {
			if actor.CanSee(c) || actor.CanSeeBot(thisBot) {
				t.Errorf("%s sees %s", name, c.ID)
			}
		}
	}
}

func TestTokensActAsTheirBot(t *testing.T) {
	for _, tc := range []struct {
		name  string
		actor Actor
		want  bool
	}{
		{"bot token of this bot", botToken, true},
		{"bot token of another bot", outsiders["bot token of another bot"], false},
		{"integration token without bot", integToken, true},
		{"system", system, true},
		{"admin user", admin, false},
		{"supervisor user", supervisor, false},
	} {
		if got := tc.actor.ActsAsBot(thisBot); got != tc.want {
			t.Errorf("%s: ActsAsBot = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestActorIdentity(t *testing.T) {
	if id := ana.ID(); id == nil || *id != "ana" || ana.Role() != RoleAgent {
		t.Fatalf("user actor: id %v, role %q", id, ana.Role())
	}
	for name, a := range map[string]Actor{"bot token": botToken, "system": system} {
		if a.ID() != nil || a.Role() != "" {
			t.Errorf("%s: id %v role %q, want none", name, a.ID(), a.Role())
		}
	}
	// UserActor copies: later changes to the caller's value do not leak in.
	u := User{ID: "u1", Role: RoleAgent}
	a := UserActor(u)
	u.ID = "changed"
	if *a.ID() != "u1" {
		t.Fatal("UserActor aliases its argument")
	}
	convs := conversations()
	if !ana.IsAssignee(convs[2]) || ana.IsAssignee(convs[3]) || ana.IsAssignee(convs[1]) || botToken.IsAssignee(convs[2]) {
		t.Fatal("IsAssignee is wrong")
	}
}
