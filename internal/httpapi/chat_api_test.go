package httpapi_test

import "testing"

// The internal chat is for any two users who share a bot, not only a
// supervisor or admin and an agent: two agents of bot A write to each
// other, and neither can reach the agent of bot B (nor read that thread).
func TestAgentsSharingABotChat(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a, b := w.login(w.agent), w.login(w.agent2)
		a.post("/api/v1/chats/"+w.agent2.ID+"/messages", map[string]string{"text": "swap lunch?"}).want(200)
		b.post("/api/v1/chats/"+w.agent.ID+"/messages", map[string]string{"text": "ok, 1 pm"}).want(200)
		got := b.get("/api/v1/chats/" + w.agent.ID + "/messages").want(200).items()
		if len(got) != 2 || got[0]["text"] != "swap lunch?" || got[1]["text"] != "ok, 1 pm" {
			t.Errorf("thread between two agents of bot A: %v", got)
		}
		a.post("/api/v1/chats/"+w.agentB.ID+"/messages", map[string]string{"text": "hi"}).fails(404, "not_found")
		w.login(w.agentB).get("/api/v1/chats/"+w.agent.ID+"/messages").fails(404, "not_found")
		a.post("/api/v1/chats/"+w.agent2.ID+"/messages", map[string]string{"text": "  "}).fails(422, "validation_failed")
	})
}
