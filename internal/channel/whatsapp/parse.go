package whatsapp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// The webhook payload of the Cloud API "messages" field, as Meta documents
// it. Only what Relevo uses is declared: unknown fields are ignored, and
// scalars Meta has been seen to send as either strings or numbers (ids,
// timestamps, coordinates) accept both, so a format drift loses a field at
// worst, never the notification.

// Webhook is one notification POSTed by Meta.
type Webhook struct {
	Object string  `json:"object"`
	Entry  []Entry `json:"entry"`
}

// Entry is one WhatsApp Business Account's batch of changes.
type Entry struct {
	ID      flexString `json:"id"`
	Changes []Change   `json:"changes"`
}

// Change is one subscribed field's update; Relevo reads field "messages".
type Change struct {
	Field string `json:"field"`
	Value Value  `json:"value"`
}

// Value carries the messages, statuses and errors of one business number.
type Value struct {
	MessagingProduct string    `json:"messaging_product"`
	Metadata         Metadata  `json:"metadata"`
	Contacts         []Contact `json:"contacts"`
	Messages         []Message `json:"messages"`
	Statuses         []Status  `json:"statuses"`
	Errors           []Error   `json:"errors"`
	// Calls are the "calls" field's events (calls.go).
	Calls []Call `json:"calls"`
}

// Metadata names the business number the change is for.
type Metadata struct {
	DisplayPhoneNumber flexString `json:"display_phone_number"`
	PhoneNumberID      flexString `json:"phone_number_id"`
}

// Contact is the customer's WhatsApp profile.
type Contact struct {
	Profile struct {
		Name string `json:"name"`
	} `json:"profile"`
	WaID flexString `json:"wa_id"`
}

// Message is one customer message. Type says which of the typed fields is
// set; a type Relevo does not know keeps only the common fields.
type Message struct {
	From      flexString `json:"from"`
	ID        string     `json:"id"`
	Timestamp flexString `json:"timestamp"`
	Type      string     `json:"type"`
	Context   *Context   `json:"context,omitempty"`

	Text        *Text           `json:"text,omitempty"`
	Image       *Media          `json:"image,omitempty"`
	Video       *Media          `json:"video,omitempty"`
	Audio       *Media          `json:"audio,omitempty"`
	Document    *Media          `json:"document,omitempty"`
	Sticker     *Media          `json:"sticker,omitempty"`
	Location    *Location       `json:"location,omitempty"`
	Contacts    []SharedContact `json:"contacts,omitempty"`
	Interactive *Interactive    `json:"interactive,omitempty"`
	Button      *Button         `json:"button,omitempty"`
	Reaction    *Reaction       `json:"reaction,omitempty"`
	System      *System         `json:"system,omitempty"`
	Unsupported *struct {
		Type string `json:"type"`
	} `json:"unsupported,omitempty"`
	Errors []Error `json:"errors,omitempty"`
}

// Context links a message to the one it answers (a reply, a pressed
// button of a template or menu).
type Context struct {
	From flexString `json:"from"`
	ID   string     `json:"id"`
}

// Text is a text message's body.
type Text struct {
	Body string `json:"body"`
}

// Media is an image, video, audio (Voice: a voice note), document or
// sticker, stored at Meta under ID until fetched.
type Media struct {
	ID       flexString `json:"id"`
	MimeType string     `json:"mime_type"`
	SHA256   string     `json:"sha256"`
	Caption  string     `json:"caption"`
	Filename string     `json:"filename"`
	Voice    bool       `json:"voice"`
	Animated bool       `json:"animated"`
}

// Location is a shared place.
type Location struct {
	Latitude  flexFloat `json:"latitude"`
	Longitude flexFloat `json:"longitude"`
	Name      string    `json:"name"`
	Address   string    `json:"address"`
	URL       string    `json:"url"`
}

// SharedContact is a contact card the customer sent.
type SharedContact struct {
	Name struct {
		FormattedName string `json:"formatted_name"`
		FirstName     string `json:"first_name"`
		LastName      string `json:"last_name"`
	} `json:"name"`
	Phones []struct {
		Phone string     `json:"phone"`
		WaID  flexString `json:"wa_id"`
		Type  string     `json:"type"`
	} `json:"phones"`
	Emails []struct {
		Email string `json:"email"`
	} `json:"emails"`
	Org struct {
		Company string `json:"company"`
	} `json:"org"`
}

// Interactive is the customer's answer to a menu we sent.
type Interactive struct {
	Type        string `json:"type"`
	ButtonReply *Reply `json:"button_reply,omitempty"`
	ListReply   *Reply `json:"list_reply,omitempty"`
}

// Reply is a pressed reply button or a chosen list row.
type Reply struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Button is a pressed quick reply of a template.
type Button struct {
	Text    string `json:"text"`
	Payload string `json:"payload"`
}

// Reaction is an emoji put on (or, empty, taken off) a message.
type Reaction struct {
	MessageID string `json:"message_id"`
	Emoji     string `json:"emoji"`
}

// System is a notice about the customer, such as a number change.
type System struct {
	Body string `json:"body"`
	Type string `json:"type"`
	// WaID is the new WhatsApp id (NewWaID in older versions).
	WaID    flexString `json:"wa_id"`
	NewWaID flexString `json:"new_wa_id"`
}

// Status is a delivery report for a message the business sent.
type Status struct {
	ID          string     `json:"id"`
	Status      string     `json:"status"`
	Timestamp   flexString `json:"timestamp"`
	RecipientID flexString `json:"recipient_id"`
	Errors      []Error    `json:"errors,omitempty"`
	// Type is "call" for a call's status (RINGING, ACCEPTED, REJECTED),
	// which names a call id, not a message.
	Type string `json:"type,omitempty"`
}

// Error is an error object of a webhook (failed status, unsupported
// message, account-level problem).
type Error struct {
	Code      flexInt `json:"code"`
	Title     string  `json:"title"`
	Message   string  `json:"message"`
	ErrorData struct {
		Details string `json:"details"`
	} `json:"error_data"`
	Href string `json:"href"`
}

// ParseWebhook decodes a webhook body. Only a body that is not a JSON
// object is an error: fields of unexpected types are left empty.
func ParseWebhook(raw []byte) (*Webhook, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, errors.New("whatsapp: webhook body is not a JSON object")
	}
	var w Webhook
	if err := json.Unmarshal(raw, &w); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, fmt.Errorf("whatsapp: webhook body: %w", err)
		}
		// A field of another type than documented: encoding/json skipped
		// it and filled in the rest.
	}
	return &w, nil
}

// sentAt reads a unix-seconds timestamp; anything implausible is zero
// (the store then uses the arrival time).
func sentAt(ts flexString) time.Time {
	n, err := strconv.ParseInt(string(ts), 10, 64)
	if err != nil || n <= 0 || n > 32503680000 { // year 3000
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// flexString is a JSON string, number or boolean read as text.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case b[0] == '{' || b[0] == '[':
		*s = "" // not a scalar: ignore rather than fail the whole body
	default:
		*s = flexString(b)
	}
	return nil
}

// flexFloat is a JSON number or numeric string.
type flexFloat float64

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	var s flexString
	_ = s.UnmarshalJSON(b)
	v, err := strconv.ParseFloat(string(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0 // NaN would not even encode back to JSON
	}
	*f = flexFloat(v)
	return nil
}

// flexInt is a JSON integer or numeric string.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	var s flexString
	_ = s.UnmarshalJSON(b)
	v, err := strconv.Atoi(string(s))
	if err != nil {
		v = 0
	}
	*n = flexInt(v)
	return nil
}
