package httpapi_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// simFlow greets, offers a menu, asks for an email and hands over to a
// team: every kind of answer the simulator gives.
func simFlow(teamID string) json.RawMessage {
	return json.RawMessage(`{"start":"hello","nodes":{
		"hello":{"type":"message","text":"Hi, I am the test bot.","next":"menu"},
		"menu":{"type":"menu","text":"What do you need?","options":[{"label":"Sales","next":"ask_email"},{"label":"Bye","next":"bye"}]},
		"ask_email":{"type":"question","text":"Your email?","retry_text":"That is not an email.","attribute":"email","validate":"email","next":"people"},
		"people":{"type":"handover","team_id":"` + teamID + `","note":"wants sales"},
		"bye":{"type":"end","text":"Bye!"}}}`)
}

type simAnswer struct {
	Replies []struct {
		Text    string `json:"text"`
		Buttons []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"buttons"`
	} `json:"replies"`
	Handover *struct {
		TeamID  string `json:"team_id"`
		Note    string `json:"note"`
		NodeID  string `json:"node_id"`
		Keyword bool   `json:"keyword"`
	} `json:"handover"`
	Attributes map[string]string `json:"attributes"`
	State      json.RawMessage   `json:"state"`
	Done       bool              `json:"done"`
}

func (a simAnswer) texts() []string {
	var out []string
	for _, r := range a.Replies {
		out = append(out, r.Text)
	}
	return out
}

func TestFlowSimulateRunsStepWithoutACustomer(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		path := "/api/v1/bots/" + w.botA.ID + "/flow/simulate"
		f := simFlow(w.teamA.ID)
		before := w.adm().get("/api/v1/bots/" + w.botA.ID).obj()["flow"]
		sup := w.login(w.sup)

		var a simAnswer
		sup.post(path, map[string]any{"flow": f, "input": map[string]string{"text": "hello"}}).want(200).into(&a)
		if got := a.texts(); !reflect.DeepEqual(got, []string{"Hi, I am the test bot.", "What do you need?"}) {
			t.Fatalf("first replies %q", got)
		}
		if len(a.Replies[1].Buttons) != 2 || a.Replies[1].Buttons[0].Title != "Sales" || a.Done {
			t.Fatalf("menu answer %+v", a)
		}

		// Pressing the menu's button, as a channel delivers it (payload).
		var b simAnswer
		sup.post(path, map[string]any{"flow": f, "state": a.State, "input": map[string]string{"payload": a.Replies[1].Buttons[0].ID}}).want(200).into(&b)
		if got := b.texts(); !reflect.DeepEqual(got, []string{"Your email?"}) {
			t.Fatalf("after the button %q", got)
		}
		var c simAnswer
		sup.post(path, map[string]any{"flow": f, "state": b.State, "attributes": map[string]string{"plan": "gold"}, "input": map[string]string{"text": "not an email"}}).want(200).into(&c)
		if got := c.texts(); !reflect.DeepEqual(got, []string{"That is not an email."}) {
			t.Fatalf("a refused answer: %q", got)
		}
		var d simAnswer
		sup.post(path, map[string]any{"flow": f, "state": c.State, "attributes": c.Attributes, "input": map[string]string{"text": " ana@example.com "}}).want(200).into(&d)
		if d.Handover == nil || d.Handover.TeamID != w.teamA.ID || d.Handover.NodeID != "people" || !d.Done {
			t.Fatalf("handover answer %+v", d)
		}
		if !reflect.DeepEqual(d.Attributes, map[string]string{"plan": "gold", "email": "ana@example.com"}) {
			t.Errorf("attributes %v", d.Attributes)
		}

		// Without a flow in the body: the bot's saved one (bot A hands over at once).
		var saved simAnswer
		w.adm().post(path, map[string]any{"input": map[string]string{"text": "hi"}}).want(200).into(&saved)
		if saved.Handover == nil || saved.Handover.NodeID != "welcome" || len(saved.Replies) != 0 {
			t.Errorf("saved flow answer %+v", saved)
		}

		// A handover keyword wins over any step, as on inbound.
		var kw simAnswer
		sup.post(path, map[string]any{"flow": f, "state": b.State, "input": map[string]string{"text": "I want a HUMANO please"}}).want(200).into(&kw)
		if kw.Handover == nil || !kw.Handover.Keyword || len(kw.Replies) != 0 || !kw.Done {
			t.Errorf("keyword answer %+v", kw)
		}

		// Nothing was written: no conversation, and the saved flow is as it was.
		if got := w.adm().get("/api/v1/conversations?phase=all").items(); len(got) != 0 {
			t.Errorf("simulating made %d conversations", len(got))
		}
		if after := w.adm().get("/api/v1/bots/" + w.botA.ID).obj()["flow"]; !reflect.DeepEqual(before, after) {
			t.Errorf("the saved flow changed: %v → %v", before, after)
		}
	})
}

func TestFlowSimulateRefusesBadInput(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		path := "/api/v1/bots/" + w.botA.ID + "/flow/simulate"
		adm := w.adm()
		in := map[string]string{"text": "hi"}

		// An invalid flow answers as PATCH /bots/{id} does: the same details.
		bad := json.RawMessage(`{"start":"a","nodes":{"a":{"type":"message","text":"x","next":"gone"}}}`)
		sim := adm.post(path, map[string]any{"flow": bad, "input": in}).fails(422, "validation_failed")
		patch := adm.do("PATCH", "/api/v1/bots/"+w.botA.ID, map[string]any{"flow": bad}).fails(422, "validation_failed")
		if !reflect.DeepEqual(sim, patch) || sim["path"] != "nodes.a.next" || sim["field"] != "flow" {
			t.Errorf("simulate details %v; PATCH details %v", sim, patch)
		}

		for _, tc := range []struct {
			name, body, field string
		}{
			{"unknown field", `{"input":{"text":"hi"},"inptu":{}}`, "inptu"},
			{"unknown input field", `{"input":{"txt":"hi"}}`, "txt"},
			{"no input", `{"flow":null}`, "input"},
			{"empty input", `{"input":{"text":""}}`, "input"},
			{"retries", `{"input":{"text":"hi"},"state":{"node":"x","retries":99}}`, "state.retries"},
			{"long payload", `{"input":{"payload":"` + strings.Repeat("p", 201) + `"}}`, "input.payload"},
			{"long text", `{"input":{"text":"` + strings.Repeat("t", 4097) + `"}}`, "input.text"},
			{"attribute", `{"input":{"text":"hi"},"attributes":{"":"x"}}`, "attributes"},
		} {
			d := adm.post(path, tc.body).fails(422, "validation_failed")
			if d["field"] != tc.field {
				t.Errorf("%s: field %v, want %s", tc.name, d["field"], tc.field)
			}
		}
		adm.post(path, `{"input":{"text":"hi"},"flow":"`+strings.Repeat("x", 1<<20)+`"}`).fails(413, "payload_too_large")
		adm.post(path, `{"input":`).fails(400, "bad_request")
		adm.post(path, `{"input":{"text":5}}`).fails(400, "bad_request")

		// A bot without a flow has nothing to simulate unless one is sent.
		botB := "/api/v1/bots/" + w.botB.ID + "/flow/simulate"
		if d := adm.post(botB, map[string]any{"input": in}).fails(422, "validation_failed"); d["field"] != "flow" {
			t.Errorf("no flow: %v", d)
		}
		adm.post(botB, map[string]any{"input": in, "flow": simFlow("")}).want(200)
	})
}

func TestFlowSimulateScope(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		in := map[string]any{"input": map[string]string{"text": "hi"}, "flow": simFlow("")}
		// A supervisor of bot A learns nothing of bot B, not even that it exists.
		w.login(w.sup).post("/api/v1/bots/"+w.botB.ID+"/flow/simulate", in).fails(404, "not_found")
		w.login(w.sup).post("/api/v1/bots/nope/flow/simulate", in).fails(404, "not_found")
		w.login(w.agent).post("/api/v1/bots/"+w.botA.ID+"/flow/simulate", in).fails(403, "forbidden")
		w.login(w.auditor).post("/api/v1/bots/"+w.botA.ID+"/flow/simulate", in).fails(403, "forbidden")
		w.token(w.botA.ID).post("/api/v1/bots/"+w.botA.ID+"/flow/simulate", in).fails(403, "forbidden")
		w.anon().post("/api/v1/bots/"+w.botA.ID+"/flow/simulate", in).fails(401, "unauthenticated")
		w.adm().post("/api/v1/bots/"+w.botB.ID+"/flow/simulate", in).want(200)
	})
}
