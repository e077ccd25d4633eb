// Command botpress connects a Botpress (v12) bot to Relevo through its
// Converse API. Each customer message Relevo sends while the conversation
// is the bot's goes to POST {botpress}/api/v1/bots/{bot}/converse/{user}
// with the conversation id as the user; every answer comes back to the
// customer: text, single-choice as quick replies, images as links. An
// answer of type "handover" (a custom payload {"type": "handover",
// "team_id": "...", "note": "..."} in the flow, or the -handover-type you
// choose) hands the conversation to people.
//
//	go run ./examples/bots/botpress -token rlv_t_... -secret <webhook_secret> \
//	  -botpress-url http://127.0.0.1:3000 -bot-id support
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
	bpURL := flag.String("botpress-url", "http://127.0.0.1:3000", "Botpress server")
	botID := flag.String("bot-id", "", "the Botpress bot id")
	bpToken := flag.String("botpress-token", "", "a JWT for the secured converse route (empty: the public route)")
	handoverType := flag.String("handover-type", "handover", "the response type that hands the conversation to people")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := f.Check(); err != nil || *botID == "" {
		log.Error("botpress bridge: -token, -secret and -bot-id are required", "err", err)
		os.Exit(2)
	}
	b := &botpressBridge{relevo: f.Client(), base: strings.TrimRight(*bpURL, "/"), botID: *botID, token: *bpToken,
		handoverType: *handoverType, http: &http.Client{Timeout: 30 * time.Second}, log: log}
	mux := http.NewServeMux()
	mux.Handle("POST /relevo", &bridge.Receiver{Secret: []byte(f.Secret), Handle: b.handle, Log: log})
	if err := bridge.Serve(f.Listen, mux, log); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("botpress bridge", "err", err)
		os.Exit(1)
	}
}

type botpressBridge struct {
	relevo       *bridge.Client
	base, botID  string
	token        string
	handoverType string
	http         *http.Client
	log          *slog.Logger
	answers      bridge.Memo[[]response]
}

// response is one element of the Converse API's "responses".
type response struct {
	Type    string `json:"type"`
	Text    string `json:"text"`
	Image   string `json:"image"`
	Title   string `json:"title"`
	Choices []struct {
		Title string `json:"title"`
		Value string `json:"value"`
	} `json:"choices"`
	TeamID string `json:"team_id"`
	Note   string `json:"note"`
}

func (b *botpressBridge) handle(ctx context.Context, ev bridge.Event) error {
	if ev.Type != bridge.MessageCreated {
		if ev.Type == bridge.Handover || ev.Type == bridge.Assigned {
			b.log.Info("people own the conversation; the bot stays quiet", "conversation", ev.ConversationID)
		}
		return nil
	}
	if ev.Phase != "bot" || ev.Message == nil {
		return nil
	}
	answers, err := b.answers.Ask(ev.ID, func() ([]response, error) { return b.converse(ctx, ev) })
	if err != nil {
		return err
	}
	for i, r := range answers {
		switch {
		case r.Type == b.handoverType:
			return bridge.IgnoreGone(b.relevo.Handover(ctx, ev.ConversationID, r.TeamID, r.Note))
		case r.Type == "typing":
			continue
		}
		reply := bridge.Reply{Text: strings.TrimSpace(r.Text), ClientID: fmt.Sprintf("%s:%d", ev.ID, i)}
		if r.Type == "image" || r.Type == "card" {
			reply.Text = strings.TrimSpace(r.Title + "\n" + r.Image)
		}
		for _, c := range r.Choices {
			reply.Buttons = append(reply.Buttons, bridge.Button{ID: c.Value, Title: c.Title})
		}
		if reply.Text == "" {
			continue
		}
		if err := b.relevo.Reply(ctx, ev.ConversationID, reply); err != nil {
			return bridge.IgnoreGone(err)
		}
	}
	return nil
}

// converse asks Botpress. A pressed choice goes back as the quick reply
// Botpress's own webchat would send.
func (b *botpressBridge) converse(ctx context.Context, ev bridge.Event) ([]response, error) {
	path := "/api/v1/bots/" + url.PathEscape(b.botID) + "/converse/" + url.PathEscape(ev.ConversationID)
	headers := map[string]string{}
	if b.token != "" {
		path += "/secured"
		headers["Authorization"] = "Bearer " + b.token
	}
	body := map[string]string{"type": "text", "text": ev.Message.Text}
	if ev.Message.Payload != "" {
		body = map[string]string{"type": "quick_reply", "text": ev.Message.Text, "payload": ev.Message.Payload}
	}
	var out struct {
		Responses []response `json:"responses"`
	}
	err := bridge.PostJSON(ctx, b.http, b.base+path, headers, body, &out)
	return out.Responses, err
}
