package desk

import (
	"fmt"
	"slices"
	"testing"
)

func TestCheckMonitorPreferences(t *testing.T) {
	sup := UserActor(User{ID: "sup", Role: RoleSupervisor, BotIDs: []string{"a"}})
	users := []User{{ID: "ana", Role: RoleAgent, BotIDs: []string{"a"}}, {ID: "bob", Role: RoleAgent, BotIDs: []string{"b"}}}
	teams := []Team{{ID: "ta", BotID: "a"}, {ID: "tb", BotID: "b"}}
	p, err := CheckMonitorPreferences(sup, MonitorPreferences{HiddenAgentIDs: []string{"ana", "ana"}}, users, teams)
	if err != nil || !slices.Equal(p.HiddenAgentIDs, []string{"ana"}) || p.HiddenTeamIDs == nil {
		t.Errorf("duplicates dropped, nil made empty: %+v, %v", p, err)
	}
	for _, bad := range []MonitorPreferences{{HiddenAgentIDs: []string{"bob"}}, {HiddenTeamIDs: []string{"tb"}}, {HiddenTeamIDs: []string{"nope"}}} {
		if _, err := CheckMonitorPreferences(sup, bad, users, teams); !IsCode(err, CodeValidationFailed) {
			t.Errorf("%+v: %v, want validation_failed", bad, err)
		}
	}
	if _, err := CheckMonitorPreferences(UserActor(User{ID: "adm", Role: RoleAdmin}), MonitorPreferences{HiddenAgentIDs: []string{"bob"}, HiddenTeamIDs: []string{"tb"}}, users, teams); err != nil {
		t.Errorf("admins see every bot: %v", err)
	}
	many := make([]string, MaxHiddenPerKind+1)
	for i := range many {
		many[i] = fmt.Sprint(i)
	}
	if _, err := CheckMonitorPreferences(sup, MonitorPreferences{HiddenAgentIDs: many}, users, teams); !IsCode(err, CodeValidationFailed) {
		t.Errorf("%d ids: %v", len(many), err)
	}
}

func TestFloorCapacity(t *testing.T) {
	users := []User{
		{Role: RoleAgent, Status: StatusOnline, MaxChats: 3}, {Role: RoleAgent, Status: StatusOnline, MaxChats: 2},
		{Role: RoleAgent, Status: StatusPaused, MaxChats: 5}, {Role: RoleAdmin, Status: StatusOnline, MaxChats: 9},
	}
	if online, capacity := FloorCapacity(users); online != 2 || capacity != 5 {
		t.Errorf("online %d, capacity %d; want 2, 5", online, capacity)
	}
}

func TestWaitingThreshold(t *testing.T) {
	sup := UserActor(User{ID: "sup", Role: RoleSupervisor, BotIDs: []string{"a"}})
	p, err := CheckMonitorPreferences(sup, MonitorPreferences{}, nil, nil)
	if err != nil || p.WaitingThresholdSeconds != DefaultWaitingThreshold {
		t.Errorf("unset threshold: %+v, %v; want the default %d", p, err, DefaultWaitingThreshold)
	}
	for _, ok := range []int{30, 300, 86400} {
		if err := CheckWaitingThreshold(ok); err != nil {
			t.Errorf("%d s: %v", ok, err)
		}
		if p, err := CheckMonitorPreferences(sup, MonitorPreferences{WaitingThresholdSeconds: ok}, nil, nil); err != nil || p.WaitingThresholdSeconds != ok {
			t.Errorf("%d s kept: %+v, %v", ok, p, err)
		}
	}
	for _, bad := range []int{-1, 0, 29, 86401} {
		if err := CheckWaitingThreshold(bad); !IsCode(err, CodeValidationFailed) {
			t.Errorf("%d s: %v, want validation_failed", bad, err)
		}
	}
	if _, err := CheckMonitorPreferences(sup, MonitorPreferences{WaitingThresholdSeconds: 29}, nil, nil); !IsCode(err, CodeValidationFailed) {
		t.Errorf("29 s in the preferences: %v", err)
	}
}
