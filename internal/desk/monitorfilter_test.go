package desk

import (
	"reflect"
	"strings"
	"testing"
)

func TestCheckMonitorFilter(t *testing.T) {
	sup := UserActor(User{ID: "sup", Role: RoleSupervisor, BotIDs: []string{"a", "b"}})
	adm := UserActor(User{ID: "adm", Role: RoleAdmin})
	for name, tc := range map[string]struct {
		a     Actor
		f     MonitorFilter
		scope []string
		code  Code
	}{
		"no filter: my bots":   {sup, MonitorFilter{}, []string{"a", "b"}, ""},
		"admin: every bot":     {adm, MonitorFilter{}, nil, ""},
		"one of my bots":       {sup, MonitorFilter{BotIDs: []string{"b"}}, []string{"b"}, ""},
		"another bot":          {sup, MonitorFilter{BotIDs: []string{"a", "z"}}, nil, CodeNotFound},
		"admin picks any bot":  {adm, MonitorFilter{BotIDs: []string{"z"}}, []string{"z"}, ""},
		"the seed's contact":   {sup, MonitorFilter{Contact: "Maria Luiza de Santos Reis"}, []string{"a", "b"}, ""},
		"contact too long":     {sup, MonitorFilter{Contact: strings.Repeat("é", 201)}, nil, CodeValidationFailed},
		"protocol too long":    {sup, MonitorFilter{Protocol: strings.Repeat("1", 65)}, nil, CodeValidationFailed},
		"control in protocol":  {sup, MonitorFilter{Protocol: "P\n1"}, nil, CodeValidationFailed},
		"51 teams":             {sup, MonitorFilter{TeamIDs: make([]string, 51)}, nil, CodeValidationFailed},
		"id too long":          {sup, MonitorFilter{AssigneeIDs: []string{strings.Repeat("u", 65)}}, nil, CodeValidationFailed},
		"invalid utf-8 in id":  {sup, MonitorFilter{ChannelIDs: []string{"\xff"}}, nil, CodeValidationFailed},
		"other bots' ids pass": {sup, MonitorFilter{TeamIDs: []string{"team-of-z"}}, []string{"a", "b"}, ""},
	} {
		scope, err := CheckMonitorFilter(tc.a, tc.f)
		got := Code("")
		if err != nil {
			got = ErrorCode(err)
		}
		if got != tc.code {
			t.Errorf("%s: error %v, want code %q", name, err, tc.code)
			continue
		}
		if err == nil && !reflect.DeepEqual(scope, tc.scope) {
			t.Errorf("%s: scope %v, want %v", name, scope, tc.scope)
		}
	}
}
