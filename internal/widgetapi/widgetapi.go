// Package widgetapi is the wire contract of the web chat widget's public
// routes (/widget/v1/): the JSON bodies a visitor's browser sends and
// reads. The widget (internal/channel/web) serves them; the API's route
// table (internal/httpapi) names them so the OpenAPI document, and from it
// the widget's TypeScript types, describe them.
//
// It holds wire shapes only: no rules, no I/O, nothing of a handler. It
// imports only the domain package, so both sides may import it without
// the widget reaching into the API. The type names are the OpenAPI
// schema names: renaming one renames a schema.
package widgetapi

import (
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// WidgetTokenPrefix starts every widget session token, so the console's
// routes can refuse one plainly (401) instead of looking it up as an API
// token.
const WidgetTokenPrefix = "rlv_w_"

// WidgetField is one pre-chat form field ("name" or "email").
type WidgetField struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
}

// WidgetConfig is a web channel's public settings, as the widget reads them.
type WidgetConfig struct {
	ChannelID string        `json:"channel_id"`
	Name      string        `json:"name"`
	Greeting  string        `json:"greeting"`
	Color     string        `json:"color"`
	Prechat   []WidgetField `json:"prechat"`
	Languages []string      `json:"languages"`
	// IdentityVerification says identified visitors must send
	// identifier_hash.
	IdentityVerification bool `json:"identity_verification"`
	// Calls is the bot's call setting: whether the widget answers calls,
	// with what media, and whether it shows the customer a call button.
	Calls desk.CallSettings `json:"calls"`
}

// WidgetSessionRequest starts a widget session. Anonymous without
// identifier; identified with identifier and identifier_hash = hex
// HMAC-SHA256(channel secret, identifier).
type WidgetSessionRequest struct {
	ChannelID      string `json:"channel_id" required:"true"`
	Name           string `json:"name,omitempty"`
	Email          string `json:"email,omitempty"`
	Identifier     string `json:"identifier,omitempty"`
	IdentifierHash string `json:"identifier_hash,omitempty"`
}

// WidgetSessionResponse carries the session token, shown this once.
type WidgetSessionResponse struct {
	Token     string    `json:"token"`
	ContactID string    `json:"contact_id"`
	ExpiresAt time.Time `json:"expires_at"`
}

// WidgetSendRequest is a visitor's message. ID is the widget's own id for
// it: the same id twice stores one message.
type WidgetSendRequest struct {
	ID            string   `json:"id" required:"true"`
	Text          string   `json:"text,omitempty" text:"strip"` // the customer's words: stripped, never refused
	AttachmentIDs []string `json:"attachment_ids,omitempty"`
	// Payload is the id of the quick reply pressed (text is its title).
	Payload string `json:"payload,omitempty"`
}

// WidgetAuthor is who wrote a message, as the customer sees it: no ids.
type WidgetAuthor struct {
	Type desk.AuthorType `json:"type"`
	Name string          `json:"name"`
}

// WidgetMessage is a message as the customer sees it.
type WidgetMessage struct {
	ID             string             `json:"id"`
	ConversationID string             `json:"conversation_id"`
	Seq            int64              `json:"seq"`
	Author         WidgetAuthor       `json:"author"`
	Kind           desk.MessageKind   `json:"kind"`
	Text           string             `json:"text"`
	Attachments    []desk.Attachment  `json:"attachments"`
	Buttons        []desk.Button      `json:"buttons,omitempty"`
	Status         desk.MessageStatus `json:"status"`
	// ClientID is the widget's id of the visitor's own messages.
	ClientID  string    `json:"client_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Call is set on an event message (kind event): how a call ended.
	Call *WidgetCallLine `json:"call,omitempty"`
}

// WidgetCallLine is how one call ended, as the customer's feed shows it.
type WidgetCallLine struct {
	ID    string         `json:"id"`
	Event desk.EventType `json:"event"`
	// DurationSeconds is the talk time (call_ended).
	DurationSeconds int64 `json:"duration_seconds"`
}

// WidgetConversation is where the customer's conversation stands; Agent
// is the agent's name while one is talking with the customer.
type WidgetConversation struct {
	ID    string     `json:"id"`
	Phase desk.Phase `json:"phase"`
	Agent string     `json:"agent,omitempty"`
	Seq   int64      `json:"seq"`
	// CSAT is the satisfaction survey, once the resolved conversation asks
	// for a rating; absent otherwise.
	CSAT *WidgetCSAT `json:"csat,omitempty"`
}

// WidgetCSAT is the survey as the customer sees it: the question in the
// customer's language, whether a comment is offered, and the answer once
// given. Open is false once answered or too late to answer.
type WidgetCSAT struct {
	Question   string `json:"question"`
	AskComment bool   `json:"ask_comment"`
	Open       bool   `json:"open"`
	Score      *int   `json:"score,omitempty"`
}

// WidgetCSATRequest is the customer's rating of one of its conversations.
type WidgetCSATRequest struct {
	ConversationID string `json:"conversation_id" required:"true"`
	Score          int    `json:"score" required:"true"`
	Comment        string `json:"comment,omitempty" text:"multiline"`
}

// WidgetMessages is the customer's conversation (null before the first
// message) and its messages.
type WidgetMessages struct {
	Conversation *WidgetConversation `json:"conversation"`
	Items        []WidgetMessage     `json:"items"`
}
