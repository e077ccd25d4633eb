package flow

import (
	"errors"
	"testing"

	"github.com/relevo/relevo/internal/desk"
)

// FuzzValidate feeds the validator arbitrary definitions. It must never
// panic; what it refuses must be a validation error with a path; and what
// it accepts must run without error, whatever the customer types or
// presses, for several messages in a row.
func FuzzValidate(f *testing.F) {
	f.Add(supportFlow(f), "hi", "")
	f.Add([]byte(`{"start":"a","nodes":{"a":{"type":"handover"}}}`), "agent", "")
	f.Add([]byte(`{"start":"m","nodes":{"m":{"type":"menu","text":"?","options":[{"label":"a","next":"m"}]}}}`), "1", "m:1")
	f.Add([]byte(`{"start":"a","nodes":{"a":{"type":"message","text":"1","next":"b"},"b":{"type":"message","text":"2","next":"a"}}}`), "", "")
	f.Add([]byte(`{"start":"q","nodes":{"q":{"type":"question","text":"?","attribute":"n","validate":"number","next":"c"},`+
		`"c":{"type":"condition","attribute":"n","operator":"greater_than","value":"1","then":"q","else":"e"},"e":{"type":"end"}}}`), "2", "")
	f.Add([]byte(`{"start":"q","nodes":{"q":{"type":"question","text":"?","attribute":"a","validate":"options","options":["Sí",{"id":"n","label":"No"}],"next":"q"}}}`), "si", "n")
	f.Add([]byte(`[]`), "", "")
	f.Add([]byte(`{"start":null,"nodes":{"a":null}}`), "", "")
	f.Fuzz(func(t *testing.T, raw []byte, text, payload string) {
		fl, err := Parse(raw)
		if err != nil {
			var de *desk.Error
			if !errors.As(err, &de) || de.Code != desk.CodeValidationFailed {
				t.Fatalf("Parse refused with %v, want validation_failed", err)
			}
			if _, ok := de.Details["path"].(string); !ok {
				t.Fatalf("no path in %v", de.Details)
			}
			return
		}
		if Validate(raw) != nil {
			t.Fatal("Parse accepted what Validate refuses")
		}
		var st State
		attrs := map[string]string{}
		for i := range 8 {
			in := Input{Text: text, Payload: payload, Attributes: attrs}
			if i%2 == 1 {
				in = Input{Text: "1", Attributes: attrs}
			}
			acts, next, err := fl.Step(st, in)
			if err != nil {
				t.Fatalf("step %d from %+v: %v", i, st, err)
			}
			if acts.Save != nil {
				attrs[acts.Save.Name] = acts.Save.Value
			}
			// Press the first button offered, as a customer would.
			if n := len(acts.Send); n > 0 && len(acts.Send[n-1].Buttons) > 0 {
				payload = acts.Send[n-1].Buttons[0].ID
			}
			st = next
		}
	})
}
