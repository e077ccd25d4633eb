// Command rasa connects a Rasa assistant to Relevo through Rasa's REST
// channel. Relevo POSTs each customer message to this bridge while the
// conversation is the bot's; the bridge POSTs it to Rasa as
// {"sender": <conversation id>, "message": <text>} and sends every answer
// back with the bot's token, buttons as quick replies. An answer whose
// custom payload is {"handover": true, "team_id": "...", "note": "..."}
// hands the conversation to people. With -rasa-api-token, a resolved
// conversation also restarts Rasa's tracker for it.
//
//	go run ./examples/bots/rasa -token rlv_t_... -secret <webhook_secret> -rasa-url http://127.0.0.1:5005
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/relevo/relevo/examples/bots/bridge"
)

func main() {
	var f bridge.Flags
	f.Register(flag.CommandLine)
	rasaURL := flag.String("rasa-url", "http://127.0.0.1:5005", "Rasa server with the REST channel enabled (credentials.yml: rest:)")
	apiToken := flag.String("rasa-api-token", "", "Rasa HTTP API token (rasa run --enable-api --auth-token); empty: never restart trackers")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := f.Check(); err != nil {
		log.Error("rasa bridge", "err", err)
		os.Exit(2)
	}
	b := &rasaBridge{relevo: f.Client(), rasa: strings.TrimRight(*rasaURL, "/"), apiToken: *apiToken,
		http: &http.Client{Timeout: 30 * time.Second}, log: log}
	mux := http.NewServeMux()
	mux.Handle("POST /relevo", &bridge.Receiver{Secret: []byte(f.Secret), Handle: b.handle, Log: log})
	if err := bridge.Serve(f.Listen, mux, log); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("rasa bridge", "err", err)
		os.Exit(1)
	}
}

type rasaBridge struct {
	relevo   *bridge.Client
	rasa     string
	apiToken string
	http     *http.Client
	log      *slog.Logger
	answers  bridge.Memo[[]rasaAnswer]
}

// rasaAnswer is one element of the REST channel's answer.
type rasaAnswer struct {
	RecipientID string `json:"recipient_id"`
	Text        string `json:"text"`
	Image       string `json:"image"`
	Buttons     []struct {
		Title   string `json:"title"`
		Payload string `json:"payload"`
	} `json:"buttons"`
	Custom *struct {
		Handover bool   `json:"handover"`
		TeamID   string `json:"team_id"`
		Note     string `json:"note"`
	} `json:"custom"`
}

func (b *rasaBridge) handle(ctx context.Context, ev bridge.Event) error {
	switch ev.Type {
	case bridge.MessageCreated:
		if ev.Phase != "bot" || ev.Message == nil {
			return nil
		}
		answers, err := b.answers.Ask(ev.ID, func() ([]rasaAnswer, error) {
			var out []rasaAnswer
			err := bridge.PostJSON(ctx, b.http, b.rasa+"/webhooks/rest/webhook", nil, map[string]any{
				"sender": ev.ConversationID, "message": utterance(ev.Message),
				"metadata": map[string]string{"relevo_event_id": ev.ID, "customer_name": ev.Message.Author.Name},
			}, &out)
			return out, err
		})
		if err != nil {
			return err
		}
		return b.relay(ctx, ev, answers)
	case bridge.Resolved:
		return b.restart(ctx, ev.ConversationID)
	case bridge.Handover, bridge.Assigned, bridge.Transferred:
		b.log.Info("people own the conversation; the bot stays quiet", "conversation", ev.ConversationID, "event", ev.Type)
	}
	return nil
}

// utterance is what Rasa is told: a pressed button's payload as Rasa sent
// it ("/choose_plan"), else the text, else the attachments' links.
func utterance(m *bridge.Message) string {
	if m.Payload != "" {
		return m.Payload
	}
	if strings.TrimSpace(m.Text) != "" {
		return m.Text
	}
	var links []string
	for _, a := range m.Attachments {
		links = append(links, a.URL)
	}
	return strings.Join(links, " ")
}

// relay sends Rasa's answers in order; a handover ends the turn.
func (b *rasaBridge) relay(ctx context.Context, ev bridge.Event, answers []rasaAnswer) error {
	for i, a := range answers {
		if a.Custom != nil && a.Custom.Handover {
			return bridge.IgnoreGone(b.relevo.Handover(ctx, ev.ConversationID, a.Custom.TeamID, a.Custom.Note))
		}
		text := strings.TrimSpace(strings.TrimSpace(a.Text) + "\n" + a.Image)
		if text == "" {
			continue
		}
		r := bridge.Reply{Text: text, ClientID: fmt.Sprintf("%s:%d", ev.ID, i)}
		for _, btn := range a.Buttons {
			r.Buttons = append(r.Buttons, bridge.Button{ID: btn.Payload, Title: btn.Title})
		}
		if err := b.relevo.Reply(ctx, ev.ConversationID, r); err != nil {
			return bridge.IgnoreGone(err)
		}
	}
	return nil
}

// restart forgets Rasa's state for a closed conversation (Rasa's HTTP API).
func (b *rasaBridge) restart(ctx context.Context, convID string) error {
	if b.apiToken == "" {
		return nil
	}
	u := b.rasa + "/conversations/" + url.PathEscape(convID) + "/tracker/events?token=" + url.QueryEscape(b.apiToken)
	return bridge.PostJSON(ctx, b.http, u, nil, map[string]string{"event": "restart"}, nil)
}
