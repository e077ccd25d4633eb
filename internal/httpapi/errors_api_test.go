package httpapi_test

import (
	"strings"
	"testing"
	"time"
)

// Every error of API.md's table that a conversation can meet: the right
// status and code, and nothing changed (the conversation and its timeline
// read the same before and after).
func TestRefusedRequestsChangeNothing(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		id := w.humanConv("c1", w.agent)
		ag := w.login(w.agent)
		send := "/api/v1/conversations/" + id + "/messages"
		raw := func(ct, body string) func() *resp {
			return func() *resp { return ag.raw("POST", send, ct, strings.NewReader(body)) }
		}
		cases := []struct {
			name, code string
			status     int
			req        func() *resp
		}{
			{"malformed JSON", "bad_request", 400, raw("application/json", `{"text": "hi`)},
			{"not JSON at all", "bad_request", 400, raw("application/json", `text=hi`)},
			{"wrong field type", "bad_request", 400, raw("application/json", `{"text": 5}`)},
			{"wrong nested type", "bad_request", 400, raw("application/json", `{"attachment_ids": "a"}`)},
			{"trailing garbage", "bad_request", 400, raw("application/json", `{"text": "hi"} trailing`)},
			{"two JSON values", "bad_request", 400, raw("application/json", `{"text": "hi"}{"text": "again"}`)},
			{"wrong Content-Type", "bad_request", 400, raw("text/plain", `{"text": "hi"}`)},
			{"form Content-Type", "bad_request", 400, raw("application/x-www-form-urlencoded", `{"text": "hi"}`)},
			{"empty body", "bad_request", 400, raw("application/json", ``)},
			{"body over 1 MiB", "payload_too_large", 413, raw("application/json", `{"text": "`+strings.Repeat("a", 1<<20)+`"}`)},
			{"empty text", "validation_failed", 422, func() *resp { return ag.post(send, map[string]any{"text": "  "}) }},
			{"text too long", "validation_failed", 422, func() *resp { return ag.post(send, map[string]any{"text": strings.Repeat("é", 4097)}) }},
			{"unknown upload", "validation_failed", 422, func() *resp { return ag.post(send, map[string]any{"attachment_ids": []string{"nope"}}) }},
			{"unknown template", "validation_failed", 422, func() *resp {
				return ag.post(send, map[string]any{"template": map[string]any{"id": "nope"}})
			}},
			{"transfer without reason", "reason_required", 422, func() *resp {
				return ag.post("/api/v1/conversations/"+id+"/transfer", map[string]any{"agent_id": w.agent2.ID})
			}},
			{"transfer to an offline agent", "agent_unavailable", 409, func() *resp {
				return ag.post("/api/v1/conversations/"+id+"/transfer", map[string]any{"agent_id": w.agent2.ID, "reason_id": w.reason.ID})
			}},
			{"transfer to an agent of another bot", "agent_unavailable", 409, func() *resp {
				return ag.post("/api/v1/conversations/"+id+"/transfer", map[string]any{"agent_id": w.agentB.ID, "reason_id": w.reason.ID})
			}},
			{"transfer with another bot's reason", "validation_failed", 422, func() *resp {
				return ag.post("/api/v1/conversations/"+id+"/transfer", map[string]any{"team_id": w.teamA.ID, "reason_id": w.reasonB.ID})
			}},
			{"transfer to agent and team", "validation_failed", 422, func() *resp {
				return ag.post("/api/v1/conversations/"+id+"/transfer", map[string]any{"agent_id": w.agent2.ID, "team_id": w.teamA.ID, "reason_id": w.reason.ID})
			}},
			{"assign a taken conversation", "already_assigned", 409, func() *resp {
				return w.login(w.sup).post("/api/v1/conversations/"+id+"/assign", map[string]any{"agent_id": w.agent2.ID})
			}},
			{"handover of a human conversation", "invalid_phase", 409, func() *resp {
				return w.token(w.botA.ID).post("/api/v1/conversations/"+id+"/handover", nil)
			}},
			{"bot writes in phase human", "invalid_phase", 409, func() *resp {
				return w.token(w.botA.ID).post(send, map[string]any{"text": "bot"})
			}},
			{"agent bulk", "forbidden", 403, func() *resp {
				return ag.post("/api/v1/conversations/bulk", map[string]any{"action": "resolve", "ids": []string{id}})
			}},
			{"six bulk ids", "bulk_limit_exceeded", 422, func() *resp {
				return w.login(w.sup).post("/api/v1/conversations/bulk", map[string]any{"action": "resolve",
					"ids": []string{id, "b", "c", "d", "e", "f"}})
			}},
			{"bulk transfer without reason", "reason_required", 422, func() *resp {
				return w.login(w.sup).post("/api/v1/conversations/bulk", map[string]any{"action": "transfer", "ids": []string{id}, "team_id": w.teamA.ID})
			}},
			{"bulk of an unknown action", "validation_failed", 422, func() *resp {
				return w.login(w.sup).post("/api/v1/conversations/bulk", map[string]any{"action": "delete", "ids": []string{id}})
			}},
			{"unknown tag", "not_found", 404, func() *resp { return ag.do("PUT", "/api/v1/conversations/"+id+"/tags/nope", nil) }},
			{"another agent writes", "not_found", 404, func() *resp { return w.login(w.agent2).post(send, map[string]any{"text": "x"}) }},
			{"cross-site POST", "forbidden", 403, func() *resp {
				c := w.login(w.agent)
				c.header.Set("Sec-Fetch-Site", "cross-site")
				c.header.Set("Origin", "https://evil.example")
				return c.post(send, map[string]any{"text": "x"})
			}},
		}
		for _, tc := range cases {
			t.Log(tc.name)
			w.refused(t, id, tc.status, tc.code, tc.req)
		}
		queued := w.waitingConv("c2")
		w.refused(t, queued, 403, "forbidden", func() *resp {
			return ag.post("/api/v1/conversations/"+queued+"/assign", map[string]any{"agent_id": w.agent2.ID})
		})
		d := w.refused(t, id, 400, "bad_request", raw("application/json", `{"text": 5}`))
		if d["field"] != "text" {
			t.Errorf("wrong type details %v, want field text", d)
		}
		w.adm().get("/api/v1/conversations/nope").fails(404, "not_found")
		w.adm().get("/api/v1/conversations/nope/messages").fails(404, "not_found")
		w.adm().post("/api/v1/conversations/nope/resolve", nil).fails(404, "not_found")
		w.adm().get("/api/v1/contacts/nope").fails(404, "not_found")
		ag.post(send, map[string]any{"text": "still works"}).want(200)
	})
}

func TestResolvingAClosedConversationIsInvalidPhase(t *testing.T) {
	w := sqliteWorld(t)
	id := w.humanConv("c1", w.agent)
	ag := w.login(w.agent)
	ag.post("/api/v1/conversations/"+id+"/resolve", nil).want(200)
	w.drain()
	sup := w.login(w.sup)
	for _, p := range []string{"/resolve", "/unassign", "/block"} {
		w.refused(t, id, 409, "invalid_phase", func() *resp { return sup.post("/api/v1/conversations/"+id+p, nil) })
	}
	w.refused(t, id, 409, "invalid_phase", func() *resp {
		return sup.post("/api/v1/conversations/"+id+"/transfer", map[string]any{"team_id": w.teamA.ID, "reason_id": w.reason.ID})
	})
	w.refused(t, id, 409, "invalid_phase", func() *resp {
		return sup.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "hello?"})
	})
}

// The processing lock refuses exactly the five restricted actions, with
// Retry-After and details.retry_after_seconds, until the notice is out.
func TestLockedConversationIs423WithRetryAfter(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		id := w.waitingConv("c1")
		w.online(w.agent)
		w.online(w.agent2)
		ag := w.login(w.agent)
		ag.post("/api/v1/conversations/"+id+"/assign", nil).want(200)
		w.db.Clock.Advance(10 * time.Second)
		base := "/api/v1/conversations/" + id
		for _, tc := range []struct {
			what string
			req  func() *resp
		}{
			{"send", func() *resp { return ag.post(base+"/messages", map[string]any{"text": "hi"}) }},
			{"transfer", func() *resp {
				return ag.post(base+"/transfer", map[string]any{"agent_id": w.agent2.ID, "reason_id": w.reason.ID})
			}},
			{"resolve", func() *resp { return ag.post(base+"/resolve", nil) }},
			{"block", func() *resp { return ag.post(base+"/block", nil) }},
			{"tag", func() *resp { return ag.do("PUT", base+"/tags/"+w.tag.ID, nil) }},
			{"untag", func() *resp { return ag.do("DELETE", base+"/tags/"+w.tag.ID, nil) }},
			{"bulk resolve", func() *resp {
				r := w.login(w.sup).post("/api/v1/conversations/bulk", map[string]any{"action": "resolve", "ids": []string{id}}).want(200)
				res := r.obj()["results"].([]any)[0].(map[string]any)
				if res["ok"] != false || res["error"].(map[string]any)["code"] != "conversation_locked" {
					t.Errorf("bulk resolve of a locked conversation: %v", res)
				}
				return ag.post(base+"/resolve", nil)
			}},
		} {
			var r *resp
			d := w.refused(t, id, 423, "conversation_locked", func() *resp { r = tc.req(); return r })
			if r.Header.Get("Retry-After") != "20" || d["retry_after_seconds"] != float64(20) {
				t.Errorf("%s: Retry-After %q, details %v; want 20 s left of the 30 s lock", tc.what, r.Header.Get("Retry-After"), d)
			}
		}
		w.drain()
		if c := ag.conv(id); c["locked_until"] != nil {
			t.Errorf("locked_until %v after the notice was delivered", c["locked_until"])
		}
		ag.post(base+"/messages", map[string]any{"text": "hi"}).want(200)
		ag.do("PUT", base+"/tags/"+w.tag.ID, nil).want(200)
	})
}

// WhatsApp's 24-hour window: free text refused after it, templates still
// go, and the customer's reply reopens it.
func TestFreeTextAfterTheWindowIsWindowClosed(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		tpl, err := w.db.Store.CreateTemplate(t.Context(), templateDraft(w.waA.ID, "followup", ""))
		if err != nil {
			t.Fatal(err)
		}
		id := w.humanOn(w.waA, "wa1", w.agent)
		if c := w.adm().conv(id); c["window_expires_at"] == nil || c["channel_type"] != "whatsapp" {
			t.Fatalf("whatsapp conversation: %v", c)
		}
		w.db.Clock.Advance(25 * time.Hour)
		w.adminC = nil // sessions last 12 h
		ag := w.login(w.agent)
		send := "/api/v1/conversations/" + id + "/messages"
		d := w.refused(t, id, 422, "window_closed", func() *resp { return ag.post(send, map[string]any{"text": "still there?"}) })
		if d["window_expires_at"] == nil {
			t.Errorf("window_closed details %v, want window_expires_at", d)
		}
		m := ag.post(send, map[string]any{"template": map[string]any{"id": tpl.ID, "params": []string{"Maria"}}}).want(200).obj()
		if m["kind"] != "template" || m["text"] != "Hi Maria" {
			t.Errorf("template message: %v", m)
		}
		w.refused(t, id, 422, "window_closed", func() *resp { return ag.post(send, map[string]any{"text": "a template does not reopen it"}) })
		w.convOn(w.waA, "wa1") // the customer's reply does; same conversation
		ag.post(send, map[string]any{"text": "welcome back"}).want(200)
		// The API channel has no window.
		api := w.humanConv("c2", w.agent)
		w.db.Clock.Advance(25 * time.Hour)
		w.login(w.agent).post("/api/v1/conversations/"+api+"/messages", map[string]any{"text": "no window here"}).want(200)
	})
}
