package flow

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/relevo/relevo/internal/desk"
)

func supportFlow(t testing.TB) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/support.json")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestValidateAcceptsTheSupportExample(t *testing.T) {
	f, err := Parse(supportFlow(t))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if f.Start != "welcome" || len(f.Nodes) != 13 || f.Nodes["billing_faq"].Options[1].Label != "No" {
		t.Fatalf("parsed %+v", f)
	}
}

func TestValidateAcceptsSmallFlows(t *testing.T) {
	for name, raw := range map[string]string{
		"one handover":              `{"start":"a","nodes":{"a":{"type":"handover"}}}`,
		"one end without text":      `{"start":"a","nodes":{"a":{"type":"end"}}}`,
		"menu looping to itself":    `{"start":"m","nodes":{"m":{"type":"menu","text":"?","options":[{"label":"again","next":"m"},{"label":"bye","next":"e"}]},"e":{"type":"end"}}}`,
		"loop through a question":   `{"start":"a","nodes":{"a":{"type":"message","text":"hi","next":"q"},"q":{"type":"question","text":"?","attribute":"x","next":"a"}}}`,
		"ten options of 24 chars":   `{"start":"m","nodes":{"m":{"type":"menu","text":"?","options":[` + options(10, 24) + `]},"e":{"type":"end"}}}`,
		"condition exists":          `{"start":"c","nodes":{"c":{"type":"condition","attribute":"vip","operator":"exists","then":"e","else":"e"},"e":{"type":"end"}}}`,
		"numeric condition decimal": `{"start":"c","nodes":{"c":{"type":"condition","attribute":"n","operator":"less_than","value":"2,5","then":"e","else":"e"},"e":{"type":"end"}}}`,
		"accented ids":              `{"start":"início","nodes":{"início":{"type":"end"}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			if err := Validate([]byte(raw)); err != nil {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
}

// options makes n menu options with labels of size characters, all
// leading to node "e".
func options(n, size int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		label := string(rune('a'+i)) + strings.Repeat("x", size-1)
		b.WriteString(`{"label":"` + label + `","next":"e"}`)
	}
	return b.String()
}

func TestValidateNamesThePathOfTheProblem(t *testing.T) {
	end := `"e":{"type":"end"}`
	for _, tc := range []struct {
		name, raw, path, message string
	}{
		{"not an object", `[1]`, "", "must be a JSON object"},
		{"broken json", `{"start":`, "", "must be a JSON object"},
		{"unknown top-level field", `{"start":"e","nodes":{` + end + `},"steps":{}}`, "steps", "unknown field"},
		{"no nodes", `{"start":"a","nodes":{}}`, "nodes", "at least one node"},
		{"nodes not an object", `{"start":"a","nodes":[]}`, "nodes", "must be an object"},
		{"missing start", `{"nodes":{` + end + `}}`, "start", "required"},
		{"start not a string", `{"start":{"say":"hi"},"nodes":{` + end + `}}`, "start", "must be a node id"},
		{"unknown start", `{"start":"x","nodes":{` + end + `}}`, "start", `unknown node "x"`},
		{"node not an object", `{"start":"e","nodes":{"e":"end"}}`, "nodes.e", "must be an object"},
		{"missing type", `{"start":"e","nodes":{"e":{"text":"hi"}}}`, "nodes.e.type", "required"},
		{"unknown type", `{"start":"e","nodes":{"e":{"type":"goto"}}}`, "nodes.e.type", `unknown type "goto"`},
		{"field of another type", `{"start":"e","nodes":{"e":{"type":"end","next":"e"}}}`, "nodes.e.next", "unknown field for a end node"},
		{"misspelt field", `{"start":"m","nodes":{"m":{"type":"message","text":"hi","nxt":"e"},` + end + `}}`, "nodes.m.nxt", "unknown field"},
		{"wrong field type", `{"start":"m","nodes":{"m":{"type":"message","text":5,"next":"e"},` + end + `}}`, "nodes.m.text", "wrong type"},
		{"bad node id", `{"start":"a b","nodes":{"a b":{"type":"end"}}}`, "nodes.a b", "node ids"},
		{"dangling next", `{"start":"ask_email","nodes":{"ask_email":{"type":"question","text":"Email?","attribute":"email","validate":"email","next":"x"}}}`,
			"nodes.ask_email.next", `unknown node "x"`},
		{"message without next", `{"start":"m","nodes":{"m":{"type":"message","text":"hi"}}}`, "nodes.m.next", "required"},
		{"message without text", `{"start":"m","nodes":{"m":{"type":"message","text":"  ","next":"e"},` + end + `}}`, "nodes.m.text", "required"},
		{"text too long", `{"start":"m","nodes":{"m":{"type":"message","text":"` + strings.Repeat("é", MaxText+1) + `","next":"e"},` + end + `}}`,
			"nodes.m.text", "at most 4096"},
		{"text with a NUL", `{"start":"m","nodes":{"m":{"type":"message","text":"hi\u0000","next":"e"},` + end + `}}`,
			"nodes.m.text", "control characters"},
		{"question without attribute", `{"start":"q","nodes":{"q":{"type":"question","text":"?","next":"e"},` + end + `}}`, "nodes.q.attribute", "required"},
		{"unknown check", `{"start":"q","nodes":{"q":{"type":"question","text":"?","attribute":"a","validate":"cpf","next":"e"},` + end + `}}`,
			"nodes.q.validate", `unknown check "cpf"`},
		{"options without the options check", `{"start":"q","nodes":{"q":{"type":"question","text":"?","attribute":"a","options":["y"],"next":"e"},` + end + `}}`,
			"nodes.q.options", `only with validate "options"`},
		{"options check without options", `{"start":"q","nodes":{"q":{"type":"question","text":"?","attribute":"a","validate":"options","next":"e"},` + end + `}}`,
			"nodes.q.options", "1 to 10 options"},
		{"question option branching", `{"start":"q","nodes":{"q":{"type":"question","text":"?","attribute":"a","validate":"options","options":[{"label":"y","next":"e"}],"next":"e"},` + end + `}}`,
			"nodes.q.options[0].next", "use a menu"},
		{"menu without options", `{"start":"m","nodes":{"m":{"type":"menu","text":"?","options":[]}}}`, "nodes.m.options", "1 to 10 options"},
		{"eleven options", `{"start":"m","nodes":{"m":{"type":"menu","text":"?","options":[` + options(11, 5) + `]},` + end + `}}`, "nodes.m.options", "1 to 10 options"},
		{"list label over 24", `{"start":"m","nodes":{"m":{"type":"menu","text":"?","options":[` + options(4, 25) + `]},` + end + `}}`,
			"nodes.m.options[0].label", "at most 24 characters"},
		{"button label over 20", `{"start":"m","nodes":{"m":{"type":"menu","text":"?","options":[` + options(3, 21) + `]},` + end + `}}`,
			"nodes.m.options[0].label", "at most 20 characters"},
		{"duplicate labels", `{"start":"m","nodes":{"m":{"type":"menu","text":"?","options":[{"label":"Sí","next":"e"},{"label":"si","next":"e"}]},` + end + `}}`,
			"nodes.m.options[1].label", "same label"},
		{"duplicate ids", `{"start":"m","nodes":{"m":{"type":"menu","text":"?","options":[{"id":"m:2","label":"a","next":"e"},{"label":"b","next":"e"}]},` + end + `}}`,
			"nodes.m.options[1].id", "same id"},
		{"menu option without next", `{"start":"m","nodes":{"m":{"type":"menu","text":"?","options":[{"label":"a"}]}}}`, "nodes.m.options[0].next", "required"},
		{"condition without operator", `{"start":"c","nodes":{"c":{"type":"condition","attribute":"a","value":"x","then":"e","else":"e"},` + end + `}}`,
			"nodes.c.operator", "required"},
		{"unknown operator", `{"start":"c","nodes":{"c":{"type":"condition","attribute":"a","operator":"matches","value":"x","then":"e","else":"e"},` + end + `}}`,
			"nodes.c.operator", `unknown operator "matches"`},
		{"exists with a value", `{"start":"c","nodes":{"c":{"type":"condition","attribute":"a","operator":"exists","value":"x","then":"e","else":"e"},` + end + `}}`,
			"nodes.c.value", "not used with exists"},
		{"equals without value", `{"start":"c","nodes":{"c":{"type":"condition","attribute":"a","operator":"equals","then":"e","else":"e"},` + end + `}}`,
			"nodes.c.value", "required"},
		{"greater than a word", `{"start":"c","nodes":{"c":{"type":"condition","attribute":"a","operator":"greater_than","value":"ten","then":"e","else":"e"},` + end + `}}`,
			"nodes.c.value", "must be a number"},
		{"condition without else", `{"start":"c","nodes":{"c":{"type":"condition","attribute":"a","operator":"exists","then":"e"},` + end + `}}`,
			"nodes.c.else", "required"},
		{"handover note too long", `{"start":"h","nodes":{"h":{"type":"handover","note":"` + strings.Repeat("n", 2001) + `"}}}`, "nodes.h.note", "at most 2000"},
		{"unreachable node", `{"start":"e","nodes":{"e":{"type":"end"},"orphan":{"type":"end"}}}`, "nodes.orphan", "not reachable from start"},
		{"loop of messages", `{"start":"a","nodes":{"a":{"type":"message","text":"1","next":"b"},"b":{"type":"message","text":"2","next":"a"}}}`,
			"nodes.b.next", `loops back to "a" without a question or menu`},
		{"loop through a condition", `{"start":"c","nodes":{"c":{"type":"condition","attribute":"a","operator":"exists","then":"e","else":"m"},"m":{"type":"message","text":"x","next":"c"},` + end + `}}`,
			"nodes.m.next", `loops back to "c"`},
		{"too many nodes", `{"start":"n0","nodes":{` + manyNodes(MaxNodes+1) + `}}`, "nodes", "at most 200 nodes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate([]byte(tc.raw))
			var de *desk.Error
			if !errors.As(err, &de) || de.Code != desk.CodeValidationFailed || de.Details["field"] != "flow" {
				t.Fatalf("err = %v, want validation_failed on flow", err)
			}
			if de.Details["path"] != tc.path || !strings.Contains(de.Message, tc.message) {
				t.Fatalf("err = %q at %q, want %q at %q", de.Message, de.Details["path"], tc.message, tc.path)
			}
			if tc.path != "" && !strings.HasPrefix(de.Message, "flow: "+tc.path+": ") {
				t.Fatalf("message %q does not start with the path", de.Message)
			}
			probs, _ := de.Details["problems"].([]Problem)
			if len(probs) == 0 || probs[0].Path != tc.path {
				t.Fatalf("problems = %+v", probs)
			}
		})
	}
}

func manyNodes(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"n%d":{"type":"end"}`, i)
	}
	return b.String()
}

func TestValidateListsEveryProblemUpToALimit(t *testing.T) {
	err := Validate([]byte(`{"start":"a","nodes":{"a":{"type":"message","text":"","next":"x"},"b":{"type":"menu","text":"?","options":[]}}}`))
	var de *desk.Error
	if !errors.As(err, &de) {
		t.Fatal(err)
	}
	probs := de.Details["problems"].([]Problem)
	want := []Problem{
		{"nodes.a.text", "required"},
		{"nodes.a.next", `unknown node "x"`},
		{"nodes.b.options", "1 to 10 options"},
	}
	if len(probs) != len(want) {
		t.Fatalf("problems = %+v, want %+v", probs, want)
	}
	for i := range want {
		if probs[i] != want[i] {
			t.Fatalf("problem %d = %+v, want %+v", i, probs[i], want[i])
		}
	}
	err = Validate([]byte(`{"start":"n0","nodes":{` + strings.ReplaceAll(manyNodes(50), `"end"`, `"goto"`) + `}}`))
	if !errors.As(err, &de) || len(de.Details["problems"].([]Problem)) != maxProblems {
		t.Fatalf("problems of 50 broken nodes = %v", de.Details["problems"])
	}
}
