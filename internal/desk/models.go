package desk

import (
	"encoding/json"
	"time"
)

// User is a person who logs into the console.
type User struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Email       string     `json:"email"`
	Role        Role       `json:"role"`
	Status      UserStatus `json:"status"`
	PauseReason string     `json:"pause_reason"`
	// StatusSince is when Status last changed (time in status).
	StatusSince time.Time `json:"status_since"`
	MaxChats    int       `json:"max_chats"`
	BotIDs      []string  `json:"bot_ids"`
	TeamIDs     []string  `json:"team_ids"`
	CreatedAt   time.Time `json:"created_at"`
}

// MemberOf reports whether u belongs to bot (admins belong to every bot).
func (u User) MemberOf(botID string) bool {
	if u.Role == RoleAdmin {
		return true
	}
	for _, id := range u.BotIDs {
		if id == botID {
			return true
		}
	}
	return false
}

// Notices are the texts sent to the customer at hand-over moments.
// "{agent}" in Assigned is replaced by the agent's name.
//
// The text tags tell the HTTP decoder these are multi-line texts (desk's
// text rules); every other string of a request is one line.
type Notices struct {
	Queued   string `json:"queued" text:"multiline"`
	Assigned string `json:"assigned" text:"multiline"`
	Resolved string `json:"resolved" text:"multiline"`
	// OutOfHours replaces Queued on a handover outside business hours.
	OutOfHours string `json:"out_of_hours" text:"multiline"`
	// Translations are the notices in the customer's language, keyed by one
	// of CustomerLanguages; a text a translation leaves empty falls back to
	// the one above (see For).
	Translations map[string]NoticeTexts `json:"translations,omitempty"`
}

// NoticeTexts are one language's variant of the notices.
type NoticeTexts struct {
	Queued     string `json:"queued,omitempty" text:"multiline"`
	Assigned   string `json:"assigned,omitempty" text:"multiline"`
	Resolved   string `json:"resolved,omitempty" text:"multiline"`
	OutOfHours string `json:"out_of_hours,omitempty" text:"multiline"`
}

// DefaultNotices are the seed pages' wording.
var DefaultNotices = Notices{
	Queued:   "An agent will be with you shortly.",
	Assigned: "You are being transferred to Agent {agent}",
	Resolved: "Resolved",
	// The other languages' defaults are in DefaultOutOfHours (Notices.For).
	OutOfHours: DefaultOutOfHours["en"],
}

// Bot is one chatbot and its desk.
type Bot struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	MemberIDs []string `json:"member_ids"`
	// AutoCloseAfter is in seconds on the wire: a conversation with no
	// message either way for this long is closed by the sweeper.
	AutoCloseAfter Seconds         `json:"auto_close_after"`
	Notices        Notices         `json:"notices"`
	Flow           json.RawMessage `json:"flow"`
	WebhookURL     string          `json:"webhook_url"`
	// HandoverKeywords hand the conversation to people when a customer
	// writes one of them while the bot owns it; empty means the defaults
	// ("agent", "human", "humano", "asesor", "atendente").
	HandoverKeywords []string `json:"handover_keywords"`
	// Assignment is how the bot's conversations without a team are served.
	Assignment AssignmentMode `json:"assignment"`
	// CSAT is the satisfaction survey asked after an agent resolves.
	CSAT CSAT `json:"csat"`
	// BusinessHours is when the desk is staffed (desk/hours.go).
	BusinessHours BusinessHours `json:"business_hours"`
	// Calls is who may call whom, with what media (desk/calls.go).
	Calls CallSettings `json:"calls"`
	// WebhookSecret signs POSTs to WebhookURL. Answered once (creation,
	// rotation); afterwards admins see "********" (ViewBot).
	WebhookSecret string    `json:"webhook_secret,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
}

// HasFlow reports whether the bot answers customers itself (a built-in flow
// or an external bot). A bot without either queues new conversations
// straight for a human.
func (b Bot) HasFlow() bool {
	return b.WebhookURL != "" || (len(b.Flow) > 0 && string(b.Flow) != "null" && string(b.Flow) != "{}")
}

// Seconds is a duration that travels as whole seconds in JSON.
type Seconds int64

// Duration converts s to a time.Duration.
func (s Seconds) Duration() time.Duration { return time.Duration(s) * time.Second }

// DefaultAutoClose is the auto-close delay when a bot sets none.
const DefaultAutoClose = Seconds(24 * 60 * 60)

// Channel is where customers write to a bot.
type Channel struct {
	ID        string          `json:"id"`
	BotID     string          `json:"bot_id"`
	Type      ChannelType     `json:"type"`
	Name      string          `json:"name"`
	Config    json.RawMessage `json:"config"`
	CreatedAt time.Time       `json:"created_at"`
}

// Team is a group of users of one bot that conversations can be queued for.
type Team struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	BotID     string   `json:"bot_id"`
	MemberIDs []string `json:"member_ids"`
	// Assignment is how the team's queue is served (manual by default).
	Assignment AssignmentMode `json:"assignment"`
	// ReofferAfter sends a conversation back to the queue when its agent
	// has not written within it (0: never).
	ReofferAfter Seconds `json:"reoffer_after"`
}

// Reason is a configured conversation type, mandatory on every transfer.
type Reason struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	BotID string `json:"bot_id,omitempty"`
}

// Tag labels conversations.
type Tag struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color,omitempty"`
}

// Template is an approved message template of a Meta channel.
type Template struct {
	ID        string `json:"id"`
	ChannelID string `json:"channel_id"`
	Name      string `json:"name"`
	Language  string `json:"language"`
	Category  string `json:"category"`
	Body      string `json:"body" text:"multiline"`
	Roles     []Role `json:"roles"`
	Status    string `json:"status"`
}

// AllowedFor reports whether a user of role r may send t.
func (t Template) AllowedFor(r Role) bool {
	if r == RoleAdmin {
		return true
	}
	for _, x := range t.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Contact is a customer.
type Contact struct {
	ID         string            `json:"id"`
	BotID      string            `json:"bot_id"`
	Name       string            `json:"name"`
	Phone      string            `json:"phone"`
	Email      string            `json:"email"`
	ExternalID string            `json:"external_id,omitempty"`
	Attributes map[string]string `json:"attributes"`
	Blocked    bool              `json:"blocked"`
	CreatedAt  time.Time         `json:"created_at"`
}

// ContactRef is the short contact embedded in a conversation.
type ContactRef struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// Conversation is one session from the customer's first message to its close.
type Conversation struct {
	ID              string      `json:"id"`
	Protocol        *string     `json:"protocol"`
	BotID           string      `json:"bot_id"`
	ChannelID       string      `json:"channel_id"`
	ChannelType     ChannelType `json:"channel_type"`
	Contact         ContactRef  `json:"contact"`
	Phase           Phase       `json:"phase"`
	AssigneeID      *string     `json:"assignee_id"`
	TeamID          *string     `json:"team_id"`
	Tags            []string    `json:"tags"`
	UnreadCount     int         `json:"unread_count"`
	MarkedUnread    bool        `json:"marked_unread"`
	WaitingSince    *time.Time  `json:"waiting_since"`
	LastMessageAt   time.Time   `json:"last_message_at"`
	WindowExpiresAt *time.Time  `json:"window_expires_at"`
	LockedUntil     *time.Time  `json:"locked_until"`
	Seq             int64       `json:"seq"`
	ClosedReason    *string     `json:"closed_reason"`
	CreatedAt       time.Time   `json:"created_at"`
	ClosedAt        *time.Time  `json:"closed_at"`
	// CSATScore is the customer's rating (1–5) once given; nil before.
	CSATScore *int `json:"csat_score"`
	// OutOfHours says the conversation was queued outside its bot's
	// business hours (set at handover, kept after).
	OutOfHours bool `json:"out_of_hours"`
	// LastMessage previews the latest message of the timeline the
	// customer sees (notes and events left out); nil before any.
	LastMessage *MessagePreview `json:"last_message"`
	// AllowedActions is what the caller may do now (AllowedActions, lock
	// included), set on what is served to one caller; absent elsewhere
	// (webhook payloads).
	AllowedActions []Verb `json:"allowed_actions,omitempty"`
	// ActionsAfterLock is what the processing lock alone holds back: the
	// caller may do these once locked_until has passed.
	ActionsAfterLock []Verb `json:"actions_after_lock,omitempty"`
	// Version guards every compare-and-set update; it is not part of the
	// wire object.
	Version int64 `json:"-"`
}

// MessagePreview is the start of a message, for lists: who wrote it, its
// kind (an attachment may have no text) and its first characters.
type MessagePreview struct {
	Author AuthorType  `json:"author"`
	Kind   MessageKind `json:"kind"`
	Text   string      `json:"text"`
}

// Locked reports whether the processing lock holds at now.
func (c Conversation) Locked(now time.Time) bool {
	return c.LockedUntil != nil && now.Before(*c.LockedUntil)
}

// WindowOpen reports whether free-form messages may be sent at now.
func (c Conversation) WindowOpen(now time.Time) bool {
	if !c.ChannelType.HasWindow() {
		return true
	}
	return c.WindowExpiresAt != nil && now.Before(*c.WindowExpiresAt)
}

// Author says who wrote a message.
type Author struct {
	Type AuthorType `json:"type"`
	ID   *string    `json:"id"`
	Name string     `json:"name"`
}

// Attachment is a stored file attached to a message.
type Attachment struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Mime string `json:"mime"`
	Size int64  `json:"size"`
	URL  string `json:"url"`
}

// ReasonRef is the reason embedded in an event.
type ReasonRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Event is the payload of a timeline event message: who did what, from
// where to where, why.
type Event struct {
	Type    EventType  `json:"type"`
	ActorID *string    `json:"actor_id"`
	From    string     `json:"from"`
	To      string     `json:"to"`
	Reason  *ReasonRef `json:"reason"`
	Note    string     `json:"note"`
	// NodeID is, on a handover the built-in flow decided, the flow node
	// it was decided at (a handover node, or the question or menu whose
	// retries ran out). Other handovers (API, keyword, a bot without a
	// flow) have none.
	NodeID string `json:"node_id,omitempty"`
	// CSAT is the customer's rating, on a csat event.
	CSAT *CSATAnswer `json:"csat,omitempty"`
	// Call is the call, on call_* events.
	Call *CallInfo `json:"call,omitempty"`
}

// Message is one entry of a conversation's timeline.
type Message struct {
	ID             string        `json:"id"`
	ConversationID string        `json:"conversation_id"`
	Seq            int64         `json:"seq"`
	Author         Author        `json:"author"`
	Kind           MessageKind   `json:"kind"`
	Text           string        `json:"text"`
	Attachments    []Attachment  `json:"attachments"`
	Event          *Event        `json:"event"`
	Status         MessageStatus `json:"status"`
	Error          *string       `json:"error"`
	CreatedAt      time.Time     `json:"created_at"`
	// ExternalID is the channel's id for the message (wamid, API message id).
	ExternalID string `json:"external_id,omitempty"`
	ClientID   string `json:"client_id,omitempty"`
	MessageExtra
}

// MessageExtra is what only some messages carry, stored together.
type MessageExtra struct {
	// Buttons are quick replies offered with a bot's menu.
	Buttons []Button `json:"buttons,omitempty"`
	// Payload is the id of the button a customer pressed.
	Payload string `json:"payload,omitempty"`
	// ReplyTo is the id of the message this one answers.
	ReplyTo  string    `json:"reply_to,omitempty"`
	Location *Location `json:"location,omitempty"`
	// Reactions are emoji the customer put on this message.
	Reactions []Reaction `json:"reactions,omitempty"`
	// Template names the approved template the text was rendered from, for
	// channels that send templates by name (WhatsApp).
	Template *TemplateRef `json:"template,omitempty"`
}

// Empty reports whether e carries nothing.
func (e MessageExtra) Empty() bool {
	return len(e.Buttons) == 0 && e.Payload == "" && e.ReplyTo == "" && e.Location == nil && len(e.Reactions) == 0 &&
		e.Template == nil
}

// TemplateRef is a template as a channel sends it: by name and language,
// with the values of its {{n}} placeholders in order.
type TemplateRef struct {
	Name     string   `json:"name"`
	Language string   `json:"language"`
	Params   []string `json:"params,omitempty"`
	// HeaderParams fill a text header's placeholders.
	HeaderParams []string `json:"header_params,omitempty"`
	// Buttons fill dynamic buttons: a URL suffix or a quick reply payload.
	Buttons []TemplateButton `json:"buttons,omitempty"`
}

// TemplateButton is the parameter of one dynamic template button.
type TemplateButton struct {
	// Index is the button's position in the template, from 0.
	Index int `json:"index"`
	// SubType is "url" or "quick_reply".
	SubType string `json:"sub_type"`
	Value   string `json:"value"`
}

// Button is one quick reply.
type Button struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Location is a shared place.
type Location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Name      string  `json:"name,omitempty"`
	Address   string  `json:"address,omitempty"`
}

// Reaction is an emoji on a message.
type Reaction struct {
	Emoji  string     `json:"emoji"`
	Author AuthorType `json:"author"`
}

// Note is an internal note on a contact.
type Note struct {
	ID        string    `json:"id"`
	AuthorID  string    `json:"author_id"`
	Author    string    `json:"author"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// ChatMessage is a message of the internal chat between two users.
type ChatMessage struct {
	ID        string    `json:"id"`
	FromID    string    `json:"from_id"`
	ToID      string    `json:"to_id"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}
