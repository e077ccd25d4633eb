package httpapi_test

import (
	"testing"
)

// A canned reply's file, on both databases: a supervisor attaches an
// upload to the bot's reply; an agent of the bot may download it and send
// it in a reply (the file was not theirs); an agent of another bot may do
// neither; bad ids and too many files are 422 on attachment_ids.
func TestCannedReplyAttachments(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		sup, agent, agentB := w.login(w.sup), w.login(w.agent), w.login(w.agentB)
		const list = "/api/v1/canned-replies"
		file := sup.upload("prices.png", pngBytes(t)).want(200).obj()
		fid := str(file["id"])

		c := sup.post(list, map[string]any{"bot_id": w.botA.ID, "shortcut": "prices", "text": "Our prices, {contact.name}", "attachment_ids": []string{fid}}).want(200).obj()
		atts, _ := c["attachments"].([]any)
		if len(atts) != 1 || str(atts[0].(map[string]any)["id"]) != fid || str(atts[0].(map[string]any)["name"]) != "prices.png" {
			t.Fatalf("created with a file: %v", c)
		}
		listed := agent.get(list + "?q=prices").want(200).items()
		if len(listed) != 1 || len(listed[0]["attachments"].([]any)) != 1 {
			t.Fatalf("the agent's list: %v", listed)
		}
		// A reply without files lists an empty list, never null.
		plain := agent.post(list, map[string]any{"personal": true, "shortcut": "plain", "text": "x"}).want(200).obj()
		if a, ok := plain["attachments"].([]any); !ok || len(a) != 0 {
			t.Errorf("no files: attachments %v", plain["attachments"])
		}

		// The agent of the bot sees the file and sends it to a customer.
		agent.get("/api/v1/uploads/" + fid).want(200)
		conv := w.humanConv("ca1", w.agent)
		m := agent.post("/api/v1/conversations/"+conv+"/messages", map[string]any{"text": "Our prices, Ana", "attachment_ids": []string{fid}}).want(200).obj()
		if got, _ := m["attachments"].([]any); len(got) != 1 {
			t.Fatalf("sent with the reply's file: %v", m)
		}
		// Another bot's agent: neither the file nor the reply.
		agentB.get("/api/v1/uploads/"+fid).fails(404, "not_found")

		// Bad input on attachment_ids.
		other := agentB.upload("b.png", pngBytes(t)).want(200).obj()
		for _, ids := range [][]string{{"nope"}, {str(other["id"])}, {fid, fid}} {
			if d := sup.post(list, map[string]any{"bot_id": w.botA.ID, "shortcut": "x", "text": "x", "attachment_ids": ids}).fails(422, "validation_failed"); d["field"] != "attachment_ids" {
				t.Errorf("%v: details %v", ids, d)
			}
		}
		// Patch removes the file.
		got := sup.do("PATCH", list+"/"+str(c["id"]), map[string]any{"attachment_ids": []string{}}).want(200).obj()
		if a, _ := got["attachments"].([]any); len(a) != 0 {
			t.Errorf("file removed: %v", got)
		}
		if d := sup.do("PATCH", list+"/"+str(c["id"]), map[string]any{"attachment_ids": []string{"nope"}}).fails(422, "validation_failed"); d["field"] != "attachment_ids" {
			t.Errorf("patch with a bad id: %v", d)
		}
	})
}
