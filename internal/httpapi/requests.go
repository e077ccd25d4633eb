package httpapi

import (
	"encoding/json"

	"github.com/relevo/relevo/internal/desk"
)

// Request bodies are types of this package (or the widget's wire types in
// internal/widgetapi), never the domain's: a domain
// type carries what the server sets (id, status), which the document would
// then list as input. buildOpenAPI refuses any other request type.
//
// The convention for what the document calls required: in a request type a
// field is required only when it carries the tag `required:"true"`, set
// exactly where the handler (or the store behind it) refuses a request
// without that field. Everything else is optional, whatever its omitempty,
// because encoding/json decodes a missing field as its zero value. (Response
// types follow encoding/json instead: a field is always written unless it is
// omitempty or omitzero.)

// newUserRequest is POST /api/v1/users: userRequest with what a new user
// cannot do without. The two convert into each other (tags aside, the
// fields are the same).
type newUserRequest struct {
	Name     *string    `json:"name" required:"true"`
	Email    *string    `json:"email" required:"true"`
	Role     *desk.Role `json:"role"`
	MaxChats *int       `json:"max_chats"`
	BotIDs   *[]string  `json:"bot_ids"`
	TeamIDs  *[]string  `json:"team_ids"`
	Password *string    `json:"password" required:"true"`
}

// newTeamRequest is POST /api/v1/teams; PATCH takes teamRequest.
type newTeamRequest struct {
	Name      *string   `json:"name" required:"true"`
	BotID     string    `json:"bot_id" required:"true"`
	MemberIDs *[]string `json:"member_ids"`
	// Assignment is manual (default) or automatic; ReofferAfter (0: off)
	// re-offers a conversation its agent has not answered within it.
	Assignment   *desk.AssignmentMode `json:"assignment"`
	ReofferAfter *desk.Seconds        `json:"reoffer_after"`
}

// newBotRequest is POST /api/v1/bots; PATCH takes botRequest.
type newBotRequest struct {
	Name           *string          `json:"name" required:"true"`
	MemberIDs      *[]string        `json:"member_ids"`
	AutoCloseAfter *desk.Seconds    `json:"auto_close_after"`
	Notices        *noticesRequest  `json:"notices"`
	Flow           *json.RawMessage `json:"flow"`
	WebhookURL     *string          `json:"webhook_url"`
	// HandoverKeywords replaces the bot's keywords; [] restores the defaults.
	HandoverKeywords *[]string `json:"handover_keywords"`
	// Assignment serves the bot's conversations without a team: manual
	// (default) or automatic.
	Assignment *desk.AssignmentMode `json:"assignment"`
	// CSAT replaces the satisfaction survey setting.
	CSAT          *csatRequest          `json:"csat"`
	BusinessHours *businessHoursRequest `json:"business_hours"`
	// Calls is who may call whom with what media (off by default).
	Calls *callsRequest `json:"calls"`
}

// noticesRequest is the customer notices of a bot; an empty one is the
// default wording.
type noticesRequest struct {
	Queued   string `json:"queued" text:"multiline"`
	Assigned string `json:"assigned" text:"multiline"`
	Resolved string `json:"resolved" text:"multiline"`
	// OutOfHours replaces Queued on a handover outside business hours.
	OutOfHours string `json:"out_of_hours" text:"multiline"`
	// Translations are the notices by customer language (en, es, pt-BR); a
	// text left empty falls back to the one above.
	Translations map[string]noticeTextsRequest `json:"translations"`
}

// noticeTextsRequest is one language's notices.
type noticeTextsRequest struct {
	Queued     string `json:"queued" text:"multiline"`
	Assigned   string `json:"assigned" text:"multiline"`
	Resolved   string `json:"resolved" text:"multiline"`
	OutOfHours string `json:"out_of_hours" text:"multiline"`
}

// notices is the domain value (nil stays nil: the field was not sent).
func (n *noticesRequest) notices() *desk.Notices {
	if n == nil {
		return nil
	}
	out := &desk.Notices{Queued: n.Queued, Assigned: n.Assigned, Resolved: n.Resolved, OutOfHours: n.OutOfHours}
	if n.Translations != nil {
		out.Translations = make(map[string]desk.NoticeTexts, len(n.Translations))
		for lang, t := range n.Translations {
			out.Translations[lang] = desk.NoticeTexts(t)
		}
	}
	return out
}

// csatRequest is a bot's satisfaction survey (desk.CSAT): question by
// customer language (en, es, pt-BR; empty: the default wording).
type csatRequest struct {
	Enabled    bool              `json:"enabled"`
	Question   map[string]string `json:"question"`
	AskComment bool              `json:"ask_comment"`
}

// csat is the domain value (nil stays nil: the field was not sent).
func (c *csatRequest) csat() *desk.CSAT {
	if c == nil {
		return nil
	}
	out := desk.CSAT(*c)
	return &out
}

// callsRequest is a bot's call setting (desk.CallSettings): mode off,
// audio or video (video allows audio calls too), and whether customers
// may call the agent holding their conversation.
type callsRequest struct {
	Mode             desk.CallMode `json:"mode"`
	CustomerMayStart bool          `json:"customer_may_start"`
}

// calls is the domain value (nil stays nil: the field was not sent).
func (c *callsRequest) calls() *desk.CallSettings {
	if c == nil {
		return nil
	}
	out := desk.CallSettings(*c)
	return &out
}

// newChannelRequest is POST /api/v1/channels; PATCH takes channelRequest.
type newChannelRequest struct {
	BotID  string           `json:"bot_id" required:"true"`
	Type   desk.ChannelType `json:"type" required:"true"`
	Name   *string          `json:"name" required:"true"`
	Config *json.RawMessage `json:"config"`
}

// reasonRequest is a new transfer reason: for one bot, or for all without
// bot_id.
type reasonRequest struct {
	Name  string `json:"name" required:"true"`
	BotID string `json:"bot_id"`
}

// tagRequest is a new conversation tag; color is #rrggbb (desk.TagColor).
type tagRequest struct {
	Name  string `json:"name" required:"true"`
	Color string `json:"color"`
}

// newTemplateRequest is a template an admin writes by hand (synced ones
// come from Meta). Roles default to every role, status to APPROVED.
type newTemplateRequest struct {
	ChannelID string      `json:"channel_id" required:"true"`
	Name      string      `json:"name" required:"true"`
	Language  string      `json:"language" required:"true"`
	Category  string      `json:"category"`
	Body      string      `json:"body" required:"true"`
	Roles     []desk.Role `json:"roles"`
	Status    string      `json:"status"`
}

func (in newTemplateRequest) template() desk.Template {
	return desk.Template{ChannelID: in.ChannelID, Name: in.Name, Language: in.Language, Category: in.Category,
		Body: in.Body, Roles: in.Roles, Status: in.Status}
}

// buttonRequest is a quick reply offered with a message.
type buttonRequest struct {
	ID    string `json:"id" required:"true"`
	Title string `json:"title" required:"true"`
}

func buttons(in []buttonRequest) []desk.Button {
	if in == nil {
		return nil
	}
	out := make([]desk.Button, len(in))
	for i, b := range in {
		out[i] = desk.Button(b)
	}
	return out
}
