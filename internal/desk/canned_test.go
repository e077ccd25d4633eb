package desk

import (
	"strings"
	"testing"
)

func TestCannedShortcut(t *testing.T) {
	for _, ok := range []string{"hi", "refund-2", "a_b", strings.Repeat("x", 32)} {
		if err := CheckCannedShortcut(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Hi", "with space", "é", "a/b", strings.Repeat("x", 33)} {
		if err := CheckCannedShortcut(bad); !IsCode(err, CodeValidationFailed) {
			t.Errorf("%q: %v, want validation_failed", bad, err)
		}
	}
}

func TestCannedText(t *testing.T) {
	got, err := CleanCannedText("  Hi {contact.name},\r\nthis is {agent.name} ({protocol}, plan {contact.plan_2}) { not a var }  ")
	if err != nil || got != "Hi {contact.name},\nthis is {agent.name} ({protocol}, plan {contact.plan_2}) { not a var }" {
		t.Fatalf("got %q, %v", got, err)
	}
	for _, bad := range []string{"", "   ", "Hi {typo}", "{agent.email}", "{contact.}", "a\x00b", strings.Repeat("x", 4001)} {
		if _, err := CleanCannedText(bad); !IsCode(err, CodeValidationFailed) {
			t.Errorf("%.20q: %v, want validation_failed", bad, err)
		}
	}
	if _, err := CleanCannedText(strings.Repeat("é", 4000)); err != nil {
		t.Errorf("4000 characters refused: %v", err)
	}
}

func TestCannedAccess(t *testing.T) {
	user := func(id string, r Role, bots ...string) Actor {
		return UserActor(User{ID: id, Role: r, BotIDs: bots})
	}
	ptr := func(s string) *string { return &s }
	agent, sup, admin := user("ag", RoleAgent, "A"), user("su", RoleSupervisor, "A"), user("ad", RoleAdmin)
	supB, auditor := user("sb", RoleSupervisor, "B"), user("au", RoleAuditor, "A")
	botA := CannedReply{BotID: ptr("A")}
	mine := CannedReply{OwnerID: ptr("ag")}
	cases := []struct {
		name      string
		a         Actor
		c         CannedReply
		see       bool
		writeCode Code // "" when allowed
	}{
		{"agent uses the bot's", agent, botA, true, CodeForbidden},
		{"auditor uses the bot's", auditor, botA, true, CodeForbidden},
		{"supervisor manages the bot's", sup, botA, true, ""},
		{"admin manages every bot's", admin, botA, true, ""},
		{"another bot's supervisor sees nothing", supB, botA, false, CodeNotFound},
		{"owner manages a personal one", agent, mine, true, ""},
		{"a supervisor never sees another's personal", sup, mine, false, CodeNotFound},
		{"nor an admin", admin, mine, false, CodeNotFound},
		{"tokens have none", Actor{Integration: true}, botA, false, CodeNotFound},
	}
	for _, tc := range cases {
		if got := CanSeeCanned(tc.a, tc.c); got != tc.see {
			t.Errorf("%s: see %v, want %v", tc.name, got, tc.see)
		}
		err := CheckWriteCanned(tc.a, tc.c)
		if (tc.writeCode == "" && err != nil) || (tc.writeCode != "" && !IsCode(err, tc.writeCode)) {
			t.Errorf("%s: write %v, want %q", tc.name, err, tc.writeCode)
		}
	}
}
