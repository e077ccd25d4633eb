package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/relevo/relevo/internal/desk"
)

// Widget is the web chat widget's customer side as the HTTP layer needs
// it. Its routes are called by visitors' browsers, not by Relevo users: the
// widget authenticates its own session tokens, enforces each channel's
// allowed origins and answers CORS, so every handler here only hands the
// request over.
type Widget interface {
	// ServeLoader answers GET /widget.js, the script sites embed.
	ServeLoader(w http.ResponseWriter, r *http.Request)
	// ServeConfig answers a channel's public settings (never secrets).
	ServeConfig(w http.ResponseWriter, r *http.Request, channelID string)
	ServeSession(w http.ResponseWriter, r *http.Request)
	ServeMessages(w http.ResponseWriter, r *http.Request)
	ServeSend(w http.ResponseWriter, r *http.Request)
	ServeUpload(w http.ResponseWriter, r *http.Request)
	ServeDownload(w http.ResponseWriter, r *http.Request, uploadID string)
	ServeSocket(w http.ResponseWriter, r *http.Request)
	// ServePreflight answers CORS preflight requests for /widget/v1/.
	ServePreflight(w http.ResponseWriter, r *http.Request)
}

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
}

// WidgetConversation is where the customer's conversation stands; Agent
// is the agent's name while one is talking with the customer.
type WidgetConversation struct {
	ID    string     `json:"id"`
	Phase desk.Phase `json:"phase"`
	Agent string     `json:"agent,omitempty"`
	Seq   int64      `json:"seq"`
}

// WidgetMessages is the customer's conversation (null before the first
// message) and its messages.
type WidgetMessages struct {
	Conversation *WidgetConversation `json:"conversation"`
	Items        []WidgetMessage     `json:"items"`
}

func (s *Server) widgetOr404(w http.ResponseWriter, r *http.Request) Widget {
	if s.widget == nil {
		writeError(w, r, s.log, desk.NotFound("web widget"))
	}
	return s.widget
}

func (s *Server) widgetLoader(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeLoader(w, r)
	}
}

func (s *Server) widgetConfig(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeConfig(w, r, r.PathValue("id"))
	}
}

func (s *Server) widgetSession(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeSession(w, r)
	}
}

func (s *Server) widgetMessages(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeMessages(w, r)
	}
}

func (s *Server) widgetSend(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeSend(w, r)
	}
}

func (s *Server) widgetUpload(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeUpload(w, r)
	}
}

func (s *Server) widgetDownload(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeDownload(w, r, r.PathValue("id"))
	}
}

func (s *Server) widgetSocket(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServeSocket(w, r)
	}
}

func (s *Server) widgetPreflight(w http.ResponseWriter, r *http.Request) {
	if wd := s.widgetOr404(w, r); wd != nil {
		wd.ServePreflight(w, r)
	}
}

// WriteError answers err in the API's error format, for channel packages
// serving their own routes: statuses stay mapped in one place.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	writeError(w, r, log, err)
}

// WriteJSON writes v as a 200 JSON answer.
func WriteJSON(w http.ResponseWriter, v any) { writeJSON(w, http.StatusOK, v) }

// DecodeJSON reads one JSON value of at most limit bytes from the body;
// client mistakes come back as *desk.Error.
func DecodeJSON(w http.ResponseWriter, r *http.Request, dst any, limit int64) error {
	return decodeJSON(w, r, dst, limit)
}

// ReceiveUpload writes the multipart field "file" to dir/id with the
// console's rules (size limit, type sniffed from the bytes, allow-list) and
// returns the file, not yet recorded, and its path.
func ReceiveUpload(w http.ResponseWriter, r *http.Request, dir string, limit int64, id string) (desk.Attachment, string, error) {
	return receiveUpload(w, r, dir, limit, id)
}
