package desk

import (
	"slices"
	"strings"
	"testing"
)

func TestBotScope(t *testing.T) {
	if BotScope(admin) != nil || BotScope(integToken) != nil {
		t.Fatal("admins and unbound integrations see every bot")
	}
	if !slices.Equal(BotScope(botToken), []string{thisBot}) || !slices.Equal(BotScope(ana), []string{thisBot}) {
		t.Fatal("others see their bots")
	}
	if s := BotScope(UserActor(User{ID: "x", Role: RoleAgent})); s == nil || len(s) != 0 {
		t.Fatalf("a user of no bot sees none, not all: %v", s)
	}
}

func TestCanSeeUser(t *testing.T) {
	bia := User{ID: "bia", Role: RoleAgent, BotIDs: []string{thisBot}}
	stranger := User{ID: "zed", Role: RoleAgent, BotIDs: []string{otherBot}}
	boss := User{ID: "boss", Role: RoleAdmin}
	for _, tc := range []struct {
		who  Actor
		u    User
		want bool
	}{
		{supervisor, bia, true},
		{supervisor, stranger, false},
		{supervisor, boss, true},
		{ana, *ana.User, true},
		{admin, stranger, true},
		{botToken, bia, false},
	} {
		if got := CanSeeUser(tc.who, tc.u); got != tc.want {
			t.Errorf("%s sees %s: %v", describe(tc.who), tc.u.ID, got)
		}
	}
}

func TestCheckKeepsAnAdmin(t *testing.T) {
	adm := User{ID: "a", Role: RoleAdmin}
	for _, tc := range []struct {
		u      User
		role   Role
		admins int
		code   Code
	}{
		{adm, RoleAgent, 1, CodeConflict},
		{adm, "", 1, CodeConflict}, // deletion
		{adm, RoleAgent, 2, ok},
		{adm, RoleAdmin, 1, ok},
		{User{Role: RoleSupervisor}, RoleAgent, 1, ok},
		{adm, RoleSupervisor, 0, CodeConflict},
	} {
		err := CheckKeepsAnAdmin(tc.u, tc.role, tc.admins)
		if (tc.code == ok) != (err == nil) || (err != nil && !IsCode(err, tc.code)) {
			t.Errorf("%+v: %v", tc, err)
		}
	}
}

func TestPasswordAndSelfDeletion(t *testing.T) {
	if !IsCode(CheckPassword("short"), CodeValidationFailed) || CheckPassword("long enough") != nil {
		t.Fatal("password policy")
	}
	if !IsCode(CheckPassword(strings.Repeat("x", MaxPasswordLength+1)), CodeValidationFailed) ||
		CheckPassword(strings.Repeat("x", MaxPasswordLength)) != nil {
		t.Fatal("password length bound")
	}
	if !IsCode(CheckDeleteUser(admin, "adm"), CodeConflict) || CheckDeleteUser(admin, "ana") != nil {
		t.Fatal("self deletion")
	}
}

// The one-time setup runs only while no admin exists.
func TestCheckFirstAdmin(t *testing.T) {
	if CheckFirstAdmin(0) != nil || !IsCode(CheckFirstAdmin(1), CodeSetupDone) {
		t.Fatal("first admin rule")
	}
}

func TestViewBotHidesTheWebhookSecret(t *testing.T) {
	b := Bot{WebhookSecret: "w"}
	if ViewBot(supervisor, b).WebhookSecret != "" || ViewBot(admin, b).WebhookSecret != ChannelSecretMask {
		t.Fatal("webhook secret read back")
	}
}

func TestCheckBlockContact(t *testing.T) {
	if !IsCode(CheckBlockContact(ana, 0), CodeForbidden) || CheckBlockContact(supervisor, 0) != nil {
		t.Fatal("nothing open: supervisors only")
	}
	if CheckBlockContact(ana, 2) != nil {
		t.Fatal("with open conversations each is checked as a block")
	}
}

func TestCheckNotices(t *testing.T) {
	if err := CheckNotices(Notices{Queued: strings.Repeat("a", 1000)}); err != nil {
		t.Fatal(err)
	}
	if err := CheckNotices(Notices{Assigned: strings.Repeat("a", 1001)}); !IsCode(err, CodeValidationFailed) {
		t.Fatalf("long notice: %v", err)
	}
	if err := CheckNotices(Notices{Translations: map[string]NoticeTexts{"fr": {}}}); !IsCode(err, CodeValidationFailed) {
		t.Fatalf("unknown language: %v", err)
	}
}
