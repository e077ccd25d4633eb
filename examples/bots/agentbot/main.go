// Command agentbot runs a Chatwoot-style agent bot on Relevo unchanged. It
// stands between the two: Relevo's webhook events become the Chatwoot
// webhook payloads the agent bot already understands (message_created with
// message_type "incoming"; conversation_status_changed when people take
// over or the conversation is resolved), and the part of Chatwoot's API an
// agent bot calls is served here and done in Relevo with the bot's token:
//
//	POST /api/v1/accounts/{account}/conversations/{id}/messages       reply (input_select items become quick replies)
//	POST /api/v1/accounts/{account}/conversations/{id}/toggle_status  {"status": "open"} hands over to people
//
// Point the agent bot's outgoing URL at -agentbot-url and its Chatwoot base
// URL at this bridge (-listen), with -agentbot-token as its access token.
// Conversation ids are Relevo's (strings); agent bots that treat ids as
// opaque, as most do, need no change.
//
//	go run ./examples/bots/agentbot -token rlv_t_... -secret <webhook_secret> \
//	  -agentbot-url http://127.0.0.1:4000/webhook -agentbot-token s3cret
package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"flag"
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
	botURL := flag.String("agentbot-url", "", "where the agent bot receives its webhooks")
	botToken := flag.String("agentbot-token", "", "the api_access_token the agent bot sends to this bridge")
	account := flag.String("account-id", "1", "account id shown to the agent bot")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := f.Check(); err != nil || *botURL == "" || *botToken == "" {
		log.Error("agentbot bridge: -token, -secret, -agentbot-url and -agentbot-token are required", "err", err)
		os.Exit(2)
	}
	b := &agentBridge{relevo: f.Client(), botURL: *botURL, botToken: *botToken, account: *account,
		http: &http.Client{Timeout: 15 * time.Second}, log: log}
	mux := http.NewServeMux()
	mux.Handle("POST /relevo", &bridge.Receiver{Secret: []byte(f.Secret), Handle: b.forward, Log: log})
	mux.HandleFunc("POST /api/v1/accounts/{account}/conversations/{id}/messages", b.auth(b.createMessage))
	mux.HandleFunc("POST /api/v1/accounts/{account}/conversations/{id}/toggle_status", b.auth(b.toggleStatus))
	if err := bridge.Serve(f.Listen, mux, log); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("agentbot bridge", "err", err)
		os.Exit(1)
	}
}

type agentBridge struct {
	relevo   *bridge.Client
	botURL   string
	botToken string
	account  string
	http     *http.Client
	log      *slog.Logger
}

// Chatwoot's shapes, as far as an agent bot reads them.
type (
	cwConversation struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		Channel string `json:"channel"`
	}
	cwSender struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Type string `json:"type"`
	}
	cwItem struct {
		Title string `json:"title"`
		Value string `json:"value"`
	}
	cwWebhook struct {
		Event             string            `json:"event"`
		ID                string            `json:"id,omitempty"`
		Content           string            `json:"content,omitempty"`
		MessageType       string            `json:"message_type,omitempty"`
		ContentType       string            `json:"content_type,omitempty"`
		ContentAttributes map[string]any    `json:"content_attributes,omitempty"`
		Private           bool              `json:"private"`
		Status            string            `json:"status,omitempty"`
		Sender            *cwSender         `json:"sender,omitempty"`
		Conversation      cwConversation    `json:"conversation"`
		Account           map[string]string `json:"account"`
		CreatedAt         time.Time         `json:"created_at"`
	}
)

// forward turns a Relevo event into the agent bot's webhook.
func (b *agentBridge) forward(ctx context.Context, ev bridge.Event) error {
	hook := cwWebhook{Conversation: cwConversation{ID: ev.ConversationID, Channel: "Channel::Api"},
		Account: map[string]string{"id": b.account}, CreatedAt: ev.CreatedAt}
	switch ev.Type {
	case bridge.MessageCreated:
		if ev.Phase != "bot" || ev.Message == nil {
			return nil
		}
		m := ev.Message
		hook.Event, hook.ID, hook.Content, hook.MessageType, hook.ContentType = "message_created", m.ID, m.Text, "incoming", "text"
		hook.Conversation.Status = "pending" // Chatwoot's "a bot is handling it"
		hook.Sender = &cwSender{Name: m.Author.Name, Type: "contact"}
		if m.Author.ID != nil {
			hook.Sender.ID = *m.Author.ID
		}
		if m.Payload != "" {
			hook.ContentAttributes = map[string]any{"submitted_values": []cwItem{{Title: m.Text, Value: m.Payload}}}
		}
	case bridge.Handover, bridge.Assigned, bridge.Transferred:
		hook.Event, hook.Status, hook.Conversation.Status = "conversation_status_changed", "open", "open"
	case bridge.Resolved:
		hook.Event, hook.Status, hook.Conversation.Status = "conversation_status_changed", "resolved", "resolved"
	default:
		return nil
	}
	return bridge.PostJSON(ctx, b.http, b.botURL, nil, hook, nil)
}

// auth checks the agent bot's api_access_token.
func (b *agentBridge) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("api_access_token")), []byte(b.botToken)) != 1 {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Invalid Access Token"})
			return
		}
		next(w, r)
	}
}

func (b *agentBridge) createMessage(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Content           string `json:"content"`
		MessageType       string `json:"message_type"`
		Private           bool   `json:"private"`
		ContentType       string `json:"content_type"`
		ContentAttributes struct {
			Items []cwItem `json:"items"`
		} `json:"content_attributes"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad JSON"})
		return
	}
	id := r.PathValue("id")
	if in.Private {
		// Relevo's internal notes are written by people; a bot's note
		// has nowhere to go.
		writeJSON(w, http.StatusOK, map[string]any{"conversation_id": id, "private": true, "content": in.Content})
		return
	}
	reply := bridge.Reply{Text: in.Content}
	for _, it := range in.ContentAttributes.Items {
		reply.Buttons = append(reply.Buttons, bridge.Button{ID: it.Value, Title: it.Title})
	}
	if strings.TrimSpace(reply.Text) == "" && len(reply.Buttons) > 0 {
		reply.Text = "Choose one:"
	}
	if err := b.relevo.Reply(r.Context(), id, reply); err != nil {
		b.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"conversation_id": id, "content": in.Content, "message_type": 1, "content_type": in.ContentType})
}

func (b *agentBridge) toggleStatus(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Status string `json:"status"`
	}
	_ = json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&in)
	id := r.PathValue("id")
	if in.Status != "" && in.Status != "open" {
		// Relevo closes conversations through people (or its auto-close);
		// a bot hands over, it does not resolve.
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "only status open (a handover) is supported"})
		return
	}
	if err := b.relevo.Handover(r.Context(), id, "", "Handed over by the agent bot"); err != nil && !errors.Is(err, bridge.ErrNotBotsTurn) {
		b.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"meta": map[string]any{},
		"payload": map[string]any{"success": true, "current_status": "open", "conversation_id": id}})
}

func (b *agentBridge) fail(w http.ResponseWriter, err error) {
	if errors.Is(err, bridge.ErrNotBotsTurn) {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "the conversation is no longer the bot's"})
		return
	}
	b.log.Warn("agentbot bridge: Relevo call failed", "err", err)
	writeJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
