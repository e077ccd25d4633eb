package httpapi_test

import (
	"testing"
	"time"
)

// happyConversations walks the conversation routes, from inbound to
// resolve, checking each answer's shape.
func happyConversations(t *testing.T, w *world) {
	bot := w.token(w.botA.ID)
	in := bot.post("/api/v1/channels/"+w.apiA.ID+"/inbound", inboundBody("h1", "m1", "I need help")).want(200).obj()
	checkFields(t, "inbound", in, map[string]string{"conversation_id": "string", "message_id": "string"})
	id := str(in["conversation_id"])
	again := bot.post("/api/v1/channels/"+w.apiA.ID+"/inbound", inboundBody("h1", "m1", "I need help")).want(200).obj()
	if again["conversation_id"] != id || again["message_id"] != in["message_id"] || again["duplicate"] != true {
		t.Errorf("inbound twice: %v then %v, want the same ids", in, again)
	}
	if n := len(bot.timeline(id)); n != 1 {
		t.Errorf("the same message id twice stored %d messages, want 1", n)
	}

	list := bot.get("/api/v1/conversations?phase=bot").want(200).items()
	if len(list) != 1 || list[0]["id"] != id {
		t.Fatalf("GET /conversations as the bot: %v", ids(list))
	}
	checkConversation(t, "GET /conversations", list[0])
	c := bot.conv(id)
	checkConversation(t, "GET /conversations/{id}", c)
	if c["phase"] != "bot" || c["protocol"] != nil || c["channel_type"] != "api" || c["bot_id"] != w.botA.ID {
		t.Errorf("new conversation: %v", c)
	}
	m := bot.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "Hi, I am the bot", "client_id": "b1"}).want(200).obj()
	checkMessage(t, "POST messages (bot)", m)
	if m["author"].(map[string]any)["type"] != "bot" || m["status"] != "pending" || m["kind"] != "text" {
		t.Errorf("bot message: %v", m)
	}
	c = bot.post("/api/v1/conversations/"+id+"/handover", map[string]any{"team_id": w.teamA.ID, "note": "wants a person"}).want(200).obj()
	checkConversation(t, "POST handover", c)
	if c["phase"] != "waiting" || c["protocol"] == nil || c["team_id"] != w.teamA.ID || c["waiting_since"] == nil {
		t.Errorf("after handover: %v", c)
	}
	w.drain()

	ag := w.login(w.agent)
	ag.do("PUT", "/api/v1/me/status", map[string]string{"status": "online"}).want(200)
	note := ag.post("/api/v1/conversations/"+id+"/notes", map[string]string{"text": "regular customer"}).want(200).obj()
	checkMessage(t, "POST notes", note)
	if note["kind"] != "note" {
		t.Errorf("note kind %v", note["kind"])
	}
	c = ag.post("/api/v1/conversations/"+id+"/assign", nil).want(200).obj()
	if c["phase"] != "human" || c["assignee_id"] != w.agent.ID || c["locked_until"] == nil {
		t.Errorf("after assign: %v", c)
	}
	w.drain()
	c = ag.do("PUT", "/api/v1/conversations/"+id+"/tags/"+w.tag.ID, nil).want(200).obj()
	if !has(strs(c["tags"]), w.tag.ID) {
		t.Errorf("PUT tags: %v", c["tags"])
	}
	c = ag.do("DELETE", "/api/v1/conversations/"+id+"/tags/"+w.tag.ID, nil).want(200).obj()
	if len(strs(c["tags"])) != 0 {
		t.Errorf("DELETE tags: %v", c["tags"])
	}
	if c = ag.post("/api/v1/conversations/"+id+"/read", nil).want(200).obj(); num(c["unread_count"]) != 0 || c["marked_unread"] != false {
		t.Errorf("after read: unread %v marked %v", c["unread_count"], c["marked_unread"])
	}
	if c = ag.post("/api/v1/conversations/"+id+"/unread", nil).want(200).obj(); c["marked_unread"] != true {
		t.Errorf("after unread: marked %v", c["marked_unread"])
	}
	m = ag.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "Hello, Alice here"}).want(200).obj()
	if a := m["author"].(map[string]any); a["type"] != "agent" || a["id"] != w.agent.ID {
		t.Errorf("agent message author %v", a)
	}
	c = ag.post("/api/v1/conversations/"+id+"/unassign", nil).want(200).obj()
	if c["phase"] != "waiting" || c["assignee_id"] != nil || c["team_id"] != w.teamA.ID {
		t.Errorf("after unassign: %v", c)
	}
	ag.post("/api/v1/conversations/"+id+"/assign", map[string]any{}).want(200)
	w.drain()
	c = ag.post("/api/v1/conversations/"+id+"/transfer", map[string]any{"team_id": w.teamA.ID, "reason_id": w.reason.ID}).want(200).obj()
	if c["phase"] != "waiting" || c["assignee_id"] != nil {
		t.Errorf("after transfer to team: %v", c)
	}
	w.drain()
	sup := w.login(w.sup)
	c = sup.post("/api/v1/conversations/"+id+"/resolve", nil).want(200).obj()
	if c["phase"] != "closed" || c["closed_reason"] != "resolved" || c["closed_at"] == nil {
		t.Errorf("after resolve: %v", c)
	}

	blk := w.humanConv("h2", w.agent)
	c = ag.post("/api/v1/conversations/"+blk+"/block", nil).want(200).obj()
	if c["phase"] != "closed" || c["closed_reason"] != "blocked" {
		t.Errorf("after block: %v", c)
	}
	b1, b2 := w.waitingConv("h3"), w.humanConv("h4", w.agent)
	res := sup.post("/api/v1/conversations/bulk", map[string]any{"action": "resolve", "ids": []string{b1, b2, "nope"}}).want(200).obj()
	results, _ := res["results"].([]any)
	if len(results) != 3 {
		t.Fatalf("bulk: %v", res)
	}
	for i, want := range []bool{true, true, false} {
		r := results[i].(map[string]any)
		if r["ok"] != want {
			t.Errorf("bulk result %d: %v, want ok=%v", i, r, want)
		}
	}
	if e, _ := results[2].(map[string]any)["error"].(map[string]any); e["code"] != "not_found" {
		t.Errorf("bulk result for an unknown id: %v", results[2])
	}
}

func TestSendWithClientIDIsIdempotent(t *testing.T) {
	w := sqliteWorld(t)
	id := w.humanConv("c1", w.agent)
	ag := w.login(w.agent)
	m1 := ag.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "once", "client_id": "k1"}).want(200).obj()
	m2 := ag.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "once", "client_id": "k1"}).want(200).obj()
	if m1["id"] != m2["id"] {
		t.Errorf("same client_id gave two messages: %v and %v", m1["id"], m2["id"])
	}
	n := 0
	for _, m := range ag.timeline(id) {
		if m["text"] == "once" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d copies stored, want 1", n)
	}
}

func TestListFiltersAndSorts(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		old := w.waitingConv("1001")
		w.db.Clock.Advance(time.Minute)
		young := w.waitingConv("1002")
		w.db.Clock.Advance(time.Minute)
		mine := w.humanConv("1003", w.agent)
		w.db.Clock.Advance(time.Minute)
		inBot := w.botConv("1004")
		ag := w.login(w.agent)
		sup := w.login(w.sup)

		if got := ag.listIDs("?phase=waiting&sort=waiting"); len(got) != 2 || got[0] != old || got[1] != young {
			t.Errorf("sort=waiting: %v, want oldest first [%s %s]", got, old, young)
		}
		ag.post("/api/v1/conversations/"+old+"/read", nil).want(200)
		if got := ag.listIDs("?phase=waiting&sort=waiting"); len(got) != 2 || got[0] != young {
			t.Errorf("sort=waiting after reading the oldest: %v, want %s first", got, young)
		}
		if got := ag.listIDs("?unread=true&phase=waiting"); len(got) != 1 || got[0] != young {
			t.Errorf("unread=true: %v", got)
		}
		ag.post("/api/v1/conversations/"+old+"/unread", nil).want(200)
		if got := ag.listIDs("?unread=true&phase=waiting"); len(got) != 2 {
			t.Errorf("marked unread is unread for its user: %v", got)
		}
		if got := w.login(w.agent2).listIDs("?unread=true&phase=waiting"); len(got) != 2 {
			t.Errorf("read state is per user: agent2 sees %v", got)
		}
		if got := ag.listIDs("?assignee=me"); len(got) != 1 || got[0] != mine {
			t.Errorf("assignee=me: %v", got)
		}
		if got := sup.listIDs("?assignee=none&phase=waiting,human"); len(got) != 2 || has(got, mine) {
			t.Errorf("assignee=none: %v", got)
		}
		if got := sup.listIDs("?phase=bot"); len(got) != 1 || got[0] != inBot {
			t.Errorf("phase=bot: %v", got)
		}
		if got := sup.listIDs(""); len(got) != 4 || got[0] != inBot {
			t.Errorf("default sort updated, latest first: %v", got)
		}
		if got := sup.listIDs("?contact=Customer%201002"); len(got) != 1 || got[0] != young {
			t.Errorf("contact= exact name: %v", got)
		}
		if got := sup.listIDs("?q=1003"); len(got) != 1 || got[0] != mine {
			t.Errorf("q= full text over contact phone/messages: %v", got)
		}
		proto := str(sup.conv(mine)["protocol"])
		if got := sup.listIDs("?protocol=" + proto); len(got) != 1 || got[0] != mine {
			t.Errorf("protocol=%s: %v", proto, got)
		}
		if got := sup.listIDs("?bot=" + w.botB.ID); len(got) != 0 {
			t.Errorf("bot=B as a supervisor of A: %v", got)
		}
		if got := sup.listIDs("?channel=" + w.apiA.ID + "&limit=2"); len(got) != 2 {
			t.Errorf("limit=2: %v", got)
		}
		page := sup.get("/api/v1/conversations?limit=3").want(200).obj()
		next := str(page["next_cursor"])
		if next == "" {
			t.Fatal("next_cursor missing on a full page")
		}
		rest := sup.get("/api/v1/conversations?limit=3&cursor=" + next).want(200).obj()
		if items := rest["items"].([]any); len(items) != 1 || rest["next_cursor"] != nil {
			t.Errorf("second page: %v", rest)
		}
		for _, bad := range []string{"?phase=nap", "?sort=loud", "?unread=maybe", "?from=yesterday", "?limit=0", "?limit=201"} {
			sup.get("/api/v1/conversations"+bad).fails(422, "validation_failed")
		}
		sup.get("/api/v1/conversations?cursor=garbage").fails(422, "validation_failed")
	})
}

func TestNotesAndReadingStayFreeDuringTheLock(t *testing.T) {
	w := sqliteWorld(t)
	id := w.waitingConv("c1")
	other := w.humanConv("c2", w.agent)
	w.online(w.agent)
	ag := w.login(w.agent)
	ag.post("/api/v1/conversations/"+id+"/assign", nil).want(200)
	ag.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "x"}).fails(423, "conversation_locked")
	ag.post("/api/v1/conversations/"+id+"/notes", map[string]any{"text": "still free"}).want(200)
	ag.get("/api/v1/conversations/" + id + "/messages").want(200)
	ag.post("/api/v1/conversations/"+id+"/read", nil).want(200)
	ag.post("/api/v1/conversations/"+other+"/messages", map[string]any{"text": "other conversations are free"}).want(200)
	// The lock never outlives --lock-max, even when nothing is delivered.
	w.db.Clock.Advance(30 * time.Second)
	ag.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "after lock-max"}).want(200)
}

// A timeline pages like every list (API.md: an opaque cursor): following
// next_cursor as ?cursor= walks every message once, oldest first.
func TestTimelinePagesByCursor(t *testing.T) {
	w := sqliteWorld(t)
	id := w.humanConv("c1", w.agent)
	ag := w.login(w.agent)
	for i := 0; i < 5; i++ {
		ag.post("/api/v1/conversations/"+id+"/messages", map[string]any{"text": "line"}).want(200)
	}
	var all []string
	for _, m := range ag.timeline(id) {
		all = append(all, str(m["id"]))
	}
	var walked []string
	q := "?after_seq=0&limit=3"
	for pages := 0; ; pages++ {
		if pages > len(all) {
			t.Fatalf("paging does not end: walked %d of %d messages", len(walked), len(all))
		}
		page := ag.get("/api/v1/conversations/" + id + "/messages" + q).want(200).obj()
		checkPage(t, "timeline page", page)
		for _, m := range page["items"].([]any) {
			walked = append(walked, str(m.(map[string]any)["id"]))
		}
		next := str(page["next_cursor"])
		if next == "" {
			break
		}
		q = "?limit=3&cursor=" + next
	}
	if join(walked) != join(all) {
		t.Errorf("paging by cursor walked %d messages %v, want the %d of the timeline %v", len(walked), walked, len(all), all)
	}
	ag.get("/api/v1/conversations/"+id+"/messages?cursor=garbage").fails(422, "validation_failed")
}
