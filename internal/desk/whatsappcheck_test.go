package desk

import (
	"encoding/json"
	"testing"
)

func TestWithVerifyTokenFillsOnlyAMissingOne(t *testing.T) {
	for in, want := range map[string]string{
		``:                        `{"verify_token":"NEW"}`,
		`{"phone_number_id":"1"}`: `{"phone_number_id":"1","verify_token":"NEW"}`,
		`{"verify_token":""}`:     `{"verify_token":"NEW"}`,
		`{"verify_token":null}`:   `{"verify_token":"NEW"}`,
		`{"verify_token":"mine"}`: `{"verify_token":"mine"}`,
		`{"verify_token":5}`:      `{"verify_token":5}`,
		`[1]`:                     `[1]`,
	} {
		if got := string(WithVerifyToken(json.RawMessage(in), "NEW")); got != want {
			t.Errorf("WithVerifyToken(%s) = %s, want %s", in, got, want)
		}
	}
}
