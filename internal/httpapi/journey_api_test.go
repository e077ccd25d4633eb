package httpapi_test

import (
	"strconv"
	"testing"
)

// Issue 2's whole journey through HTTP only: a customer message arrives
// through the API channel, the bot hands over, an agent goes online, takes
// it from the queue, waits out the processing lock, chats, transfers it
// with a reason to a colleague, who resolves it; every step is in the
// timeline, in seq order.
func TestJourneyFromInboundToResolvedThroughHTTP(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		bot := w.token(w.botA.ID)
		in := bot.post("/api/v1/channels/"+w.apiA.ID+"/inbound", inboundBody("j1", "wamid-1", "My invoice is wrong")).want(200).obj()
		id := str(in["conversation_id"])
		if c := bot.conv(id); c["phase"] != "bot" {
			t.Fatalf("new conversation in phase %v, want bot", c["phase"])
		}
		bot.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "Let me find a person for you"}).want(200)
		c := bot.post("/api/v1/conversations/"+id+"/handover", map[string]any{"note": "asked for a person"}).want(200).obj()
		if c["phase"] != "waiting" || c["protocol"] == nil {
			t.Fatalf("after handover: %v", c)
		}
		protocol := str(c["protocol"])
		w.drain()

		alice := w.login(w.agent)
		alice.do("PUT", "/api/v1/me/status", map[string]string{"status": "online"}).want(200)
		queue := alice.listIDs("?phase=waiting&sort=waiting")
		if len(queue) == 0 || queue[0] != id {
			t.Fatalf("alice's queue %v, want %s first", queue, id)
		}
		if got := alice.listIDs("?protocol=" + protocol + "&phase=all"); len(got) != 1 || got[0] != id {
			t.Errorf("search by protocol %s: %v", protocol, got)
		}
		c = alice.post("/api/v1/conversations/"+id+"/assign", nil).want(200).obj()
		if c["phase"] != "human" || c["assignee_id"] != w.agent.ID || c["locked_until"] == nil || c["protocol"] != protocol {
			t.Fatalf("after assign: %v", c)
		}
		w.refused(t, id, 423, "conversation_locked", func() *resp {
			return alice.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "Hi, Alice here"})
		})
		w.drain() // the "transferred to Agent Alice" notice is delivered: the lock ends
		alice.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "Hi, Alice here"}).want(200)
		bot.post("/api/v1/channels/"+w.apiA.ID+"/inbound", inboundBody("j1", "wamid-2", "I was charged twice")).want(200)

		bruno := w.login(w.agent2)
		bruno.do("PUT", "/api/v1/me/status", map[string]string{"status": "online"}).want(200)
		c = alice.post("/api/v1/conversations/"+id+"/transfer", map[string]any{"agent_id": w.agent2.ID,
			"reason_id": w.reason.ID, "note": "billing specialist"}).want(200).obj()
		if c["phase"] != "human" || c["assignee_id"] != w.agent2.ID {
			t.Fatalf("after transfer: %v", c)
		}
		alice.get("/api/v1/conversations/"+id).fails(404, "not_found") // no longer hers
		w.drain()
		bruno.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "Bruno from billing"}).want(200)
		c = bruno.post("/api/v1/conversations/"+id+"/resolve", nil).want(200).obj()
		if c["phase"] != "closed" || c["closed_reason"] != "resolved" {
			t.Fatalf("after resolve: %v", c)
		}
		w.drain()

		msgs := w.login(w.sup).timeline(id)
		var last int64
		var notices []string
		for _, m := range msgs {
			checkMessage(t, "timeline", m)
			if s := num(m["seq"]); s <= last {
				t.Errorf("seq %d after %d: not strictly increasing", s, last)
			} else {
				last = s
			}
			a := m["author"].(map[string]any)
			if a["type"] == "system" && m["kind"] == "text" {
				notices = append(notices, str(m["text"]))
				if m["status"] != "sent" {
					t.Errorf("notice %q is %v after the outbox ran", m["text"], m["status"])
				}
			}
		}
		wantNotices := []string{"An agent will be with you shortly.", "You are being transferred to Agent Alice Agent",
			"You are being transferred to Agent Bruno Agent", "Resolved"}
		if join(notices) != join(wantNotices) {
			t.Errorf("customer notices %q, want %q", notices, wantNotices)
		}
		evs := events(msgs)
		var types []string
		for _, e := range evs {
			types = append(types, str(e["type"]))
		}
		if join(types) != "handover,assigned,transferred,resolved" {
			t.Fatalf("timeline events %v", types)
		}
		if evs[0]["actor_id"] != nil || evs[0]["note"] != "asked for a person" || evs[0]["from"] != "bot" {
			t.Errorf("handover event %v", evs[0])
		}
		if evs[1]["actor_id"] != w.agent.ID || evs[1]["to"] != w.agent.ID || evs[1]["from"] != "waiting" {
			t.Errorf("assigned event %v", evs[1])
		}
		tr := evs[2]
		reason, _ := tr["reason"].(map[string]any)
		if tr["actor_id"] != w.agent.ID || tr["from"] != w.agent.ID || tr["to"] != w.agent2.ID ||
			reason["id"] != w.reason.ID || reason["name"] != "Billing" || tr["note"] != "billing specialist" {
			t.Errorf("transferred event %v", tr)
		}
		if evs[3]["actor_id"] != w.agent2.ID {
			t.Errorf("resolved event %v", evs[3])
		}
		var texts []string
		for _, m := range msgs {
			if m["kind"] == "text" && m["author"].(map[string]any)["type"] != "system" {
				texts = append(texts, str(m["text"]))
			}
		}
		if join(texts) != "My invoice is wrong,Let me find a person for you,Hi, Alice here,I was charged twice,Bruno from billing" {
			t.Errorf("conversation texts %q", texts)
		}

		// Catching up after a reconnect: only what came after a seq.
		var trSeq int64
		for _, m := range msgs {
			if m["kind"] == "event" && m["event"].(map[string]any)["type"] == "transferred" {
				trSeq = num(m["seq"])
			}
		}
		newer := bruno.get("/api/v1/conversations/" + id + "/messages?after_seq=" + strconv.FormatInt(trSeq, 10)).want(200).items()
		if len(newer) == 0 {
			t.Fatal("after_seq returned nothing")
		}
		for _, m := range newer {
			if num(m["seq"]) <= trSeq {
				t.Errorf("after_seq=%d returned seq %d", trSeq, num(m["seq"]))
			}
		}
		if e := events(newer); len(e) != 1 || e[0]["type"] != "resolved" {
			t.Errorf("events after the transfer: %v", e)
		}
		if got := bruno.get("/api/v1/conversations/" + id + "/messages?after_seq=" + strconv.FormatInt(last, 10)).want(200).items(); len(got) != 0 {
			t.Errorf("after_seq=last returned %d messages", len(got))
		}
		page := bruno.get("/api/v1/conversations/" + id + "/messages?after_seq=0&limit=2").want(200).obj()
		if cur := str(page["next_cursor"]); cur == "" {
			t.Errorf("a full after_seq page has no next_cursor: %v", page["next_cursor"])
		}
	})
}

func join(list []string) string {
	out := ""
	for i, s := range list {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}
