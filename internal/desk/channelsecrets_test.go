package desk

import (
	"encoding/json"
	"strings"
	"testing"
)

// Nobody reads a channel's credentials back; admins alone see the verify
// token (it is pasted into Meta's dashboard).
func TestViewChannelMasksSecrets(t *testing.T) {
	ch := Channel{Config: json.RawMessage(`{"phone_number_id":"1","access_token":"t","app_secret":"s","verify_token":"v","secret":"x"}`)}
	got := string(ViewChannel(admin, ch).Config)
	if strings.Count(got, ChannelSecretMask) != 3 || !strings.Contains(got, `"verify_token":"v"`) || strings.Contains(got, `"t"`) {
		t.Fatalf("admin sees %s", got)
	}
	got = string(ViewChannel(supervisor, ch).Config)
	if strings.Count(got, ChannelSecretMask) != 4 || !strings.Contains(got, `"phone_number_id":"1"`) {
		t.Fatalf("supervisor sees %s", got)
	}
	if got := string(ViewChannel(admin, Channel{Config: json.RawMessage(`{"secret":""}`)}).Config); got != `{"secret":""}` {
		t.Fatalf("an unset secret is shown as set: %s", got)
	}
	if got := ViewChannel(supervisor, Channel{Config: json.RawMessage(`not json`)}); string(got.Config) != `{}` {
		t.Fatalf("unparsable config shown: %s", got.Config)
	}
}

func TestKeepChannelSecrets(t *testing.T) {
	stored := json.RawMessage(`{"access_token":"t","app_secret":"s","verify_token":"v","phone_number_id":"1"}`)
	cases := []struct{ next, want string }{
		// the config as read, sent back: nothing secret changes
		{`{"access_token":"********","app_secret":"********","verify_token":"v","phone_number_id":"2"}`,
			`{"access_token":"t","app_secret":"s","phone_number_id":"2","verify_token":"v"}`},
		// left out: kept
		{`{"phone_number_id":"3"}`, `{"access_token":"t","app_secret":"s","phone_number_id":"3","verify_token":"v"}`},
		// a new value replaces, an empty one clears
		{`{"access_token":"new","app_secret":"","verify_token":"********"}`, `{"access_token":"new","app_secret":"","verify_token":"v"}`},
		// not an object: left for the config check to refuse
		{`[1]`, `[1]`},
	}
	for _, tc := range cases {
		if got := string(KeepChannelSecrets(stored, json.RawMessage(tc.next))); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.next, got, tc.want)
		}
	}
	// creating: a mask has nothing behind it and is dropped
	if got := string(KeepChannelSecrets(nil, json.RawMessage(`{"secret":"********","title":"a"}`))); got != `{"title":"a"}` {
		t.Fatalf("create with a mask: %s", got)
	}
}

func TestCheckIdentitySecret(t *testing.T) {
	if CheckIdentitySecret(Channel{Type: ChannelWeb}) != nil || !IsCode(CheckIdentitySecret(Channel{Type: ChannelAPI}), CodeValidationFailed) {
		t.Fatal("identity secret rule")
	}
}
