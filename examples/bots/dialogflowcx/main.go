// Command dialogflowcx connects a Dialogflow CX agent to Relevo. Each
// customer message Relevo sends while the conversation is the bot's becomes
// a detectIntent call on the session named after the conversation; the
// agent's text responses go back to the customer, and a liveAgentHandoff
// response (the "Live agent handoff" fulfillment) hands the conversation to
// people. Its metadata may name the team and a note:
// {"team_id": "...", "note": "..."}. A custom payload
// {"buttons": [{"id": "...", "title": "..."}]} adds quick replies to the
// text before it; a pressed button whose id starts with "event:" is sent
// back as that CX event, otherwise as text.
//
// It authenticates to Google with -gcp-token (for a quick try:
// gcloud auth print-access-token), or else with the service account of the
// machine it runs on (the GCE/Cloud Run metadata server).
//
//	go run ./examples/bots/dialogflowcx -token rlv_t_... -secret <webhook_secret> \
//	  -project my-project -location us-central1 -agent 0a1b2c... -language en
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/relevo/relevo/examples/bots/bridge"
)

func main() {
	var f bridge.Flags
	f.Register(flag.CommandLine)
	project := flag.String("project", "", "Google Cloud project id")
	location := flag.String("location", "global", "the agent's location (global, us-central1, ...)")
	agent := flag.String("agent", "", "the agent id")
	lang := flag.String("language", "en", "language code of the queries")
	gcpToken := flag.String("gcp-token", os.Getenv("GOOGLE_ACCESS_TOKEN"), "OAuth access token; empty: the metadata server's")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := f.Check(); err != nil || *project == "" || *agent == "" {
		log.Error("dialogflowcx bridge: -token, -secret, -project and -agent are required", "err", err)
		os.Exit(2)
	}
	host := "https://dialogflow.googleapis.com"
	if *location != "global" {
		host = "https://" + *location + "-dialogflow.googleapis.com"
	}
	hc := &http.Client{Timeout: 30 * time.Second}
	b := &cxBridge{relevo: f.Client(), lang: *lang, http: hc, log: log,
		agentURL: fmt.Sprintf("%s/v3/projects/%s/locations/%s/agents/%s", host, *project, *location, *agent),
		tokens:   &tokenSource{static: *gcpToken, http: hc}}
	mux := http.NewServeMux()
	mux.Handle("POST /relevo", &bridge.Receiver{Secret: []byte(f.Secret), Handle: b.handle, Log: log})
	if err := bridge.Serve(f.Listen, mux, log); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("dialogflowcx bridge", "err", err)
		os.Exit(1)
	}
}

type cxBridge struct {
	relevo   *bridge.Client
	agentURL string
	lang     string
	http     *http.Client
	tokens   *tokenSource
	log      *slog.Logger
	answers  bridge.Memo[[]responseMessage]
}

// responseMessage is one of queryResult.responseMessages; exactly one
// field is set.
type responseMessage struct {
	Text *struct {
		Text []string `json:"text"`
	} `json:"text,omitempty"`
	Payload *struct {
		Buttons []bridge.Button `json:"buttons"`
	} `json:"payload,omitempty"`
	LiveAgentHandoff *struct {
		Metadata struct {
			TeamID string `json:"team_id"`
			Note   string `json:"note"`
		} `json:"metadata"`
	} `json:"liveAgentHandoff,omitempty"`
}

func (b *cxBridge) handle(ctx context.Context, ev bridge.Event) error {
	if ev.Type != bridge.MessageCreated || ev.Phase != "bot" || ev.Message == nil {
		return nil
	}
	msgs, err := b.answers.Ask(ev.ID, func() ([]responseMessage, error) { return b.detectIntent(ctx, ev) })
	if err != nil {
		return err
	}
	// Texts are sent in order; buttons of a payload join the text before
	// them; a handoff comes after everything said.
	var replies []bridge.Reply
	var handoff *responseMessage
	for i := range msgs {
		m := &msgs[i]
		switch {
		case m.Text != nil && len(m.Text.Text) > 0:
			replies = append(replies, bridge.Reply{Text: strings.Join(m.Text.Text, "\n")})
		case m.Payload != nil && len(m.Payload.Buttons) > 0 && len(replies) > 0:
			replies[len(replies)-1].Buttons = m.Payload.Buttons
		case m.LiveAgentHandoff != nil:
			handoff = m
		}
	}
	for i, r := range replies {
		r.ClientID = fmt.Sprintf("%s:%d", ev.ID, i)
		if err := b.relevo.Reply(ctx, ev.ConversationID, r); err != nil {
			return bridge.IgnoreGone(err)
		}
	}
	if handoff != nil {
		md := handoff.LiveAgentHandoff.Metadata
		return bridge.IgnoreGone(b.relevo.Handover(ctx, ev.ConversationID, md.TeamID, md.Note))
	}
	return nil
}

// detectIntent sends the customer's message to the conversation's session.
func (b *cxBridge) detectIntent(ctx context.Context, ev bridge.Event) ([]responseMessage, error) {
	token, err := b.tokens.token(ctx)
	if err != nil {
		return nil, err
	}
	input := map[string]any{"languageCode": b.lang, "text": map[string]string{"text": ev.Message.Text}}
	if name, ok := strings.CutPrefix(ev.Message.Payload, "event:"); ok {
		input = map[string]any{"languageCode": b.lang, "event": map[string]string{"event": name}}
	} else if ev.Message.Payload != "" && strings.TrimSpace(ev.Message.Text) == "" {
		input["text"] = map[string]string{"text": ev.Message.Payload}
	}
	var out struct {
		QueryResult struct {
			ResponseMessages []responseMessage `json:"responseMessages"`
		} `json:"queryResult"`
	}
	// CX session ids have at most 36 characters; Relevo's ids fit.
	u := b.agentURL + "/sessions/" + ev.ConversationID + ":detectIntent"
	err = bridge.PostJSON(ctx, b.http, u, map[string]string{"Authorization": "Bearer " + token},
		map[string]any{"queryInput": input}, &out)
	return out.QueryResult.ResponseMessages, err
}
