package whatsapp

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/relevo/relevo/internal/desk"
)

// The body of POST /{phone-number-id}/messages, as the Cloud API takes it.

// OutMessage is one message to a customer.
type OutMessage struct {
	MessagingProduct string          `json:"messaging_product"`
	RecipientType    string          `json:"recipient_type"`
	To               string          `json:"to"`
	Type             string          `json:"type"`
	Text             *OutText        `json:"text,omitempty"`
	Image            *OutMedia       `json:"image,omitempty"`
	Video            *OutMedia       `json:"video,omitempty"`
	Audio            *OutMedia       `json:"audio,omitempty"`
	Document         *OutMedia       `json:"document,omitempty"`
	Template         *OutTemplate    `json:"template,omitempty"`
	Interactive      *OutInteractive `json:"interactive,omitempty"`
}

// OutText is a text message; links are never previewed (an agent's link
// is not an invitation to fetch it into the chat).
type OutText struct {
	PreviewURL bool   `json:"preview_url"`
	Body       string `json:"body"`
}

// OutMedia is a media message by uploaded media id.
type OutMedia struct {
	ID       string `json:"id"`
	Caption  string `json:"caption,omitempty"`
	Filename string `json:"filename,omitempty"`
	// Voice marks an Ogg Opus audio as a voice note (played in place,
	// transcribed) rather than an audio file.
	Voice bool `json:"voice,omitempty"`
}

// OutTemplate is an approved template with its parameters.
type OutTemplate struct {
	Name       string         `json:"name"`
	Language   OutLanguage    `json:"language"`
	Components []OutComponent `json:"components,omitempty"`
}

// OutLanguage is a template's language code (en_US, pt_BR, ...).
type OutLanguage struct {
	Code string `json:"code"`
}

// OutComponent fills a template's header, body or one button.
type OutComponent struct {
	Type       string     `json:"type"`
	SubType    string     `json:"sub_type,omitempty"`
	Index      string     `json:"index,omitempty"`
	Parameters []OutParam `json:"parameters"`
}

// OutParam is one template parameter.
type OutParam struct {
	Type    string `json:"type"`
	Text    string `json:"text,omitempty"`
	Payload string `json:"payload,omitempty"`
}

// OutInteractive is a reply-buttons or list menu.
type OutInteractive struct {
	Type   string    `json:"type"`
	Body   OutBody   `json:"body"`
	Action OutAction `json:"action"`
}

// OutBody is the text above a menu.
type OutBody struct {
	Text string `json:"text"`
}

// OutAction holds a menu's buttons, or a list's button label and rows.
type OutAction struct {
	Button   string       `json:"button,omitempty"`
	Buttons  []OutButton  `json:"buttons,omitempty"`
	Sections []OutSection `json:"sections,omitempty"`
}

// OutButton is one reply button.
type OutButton struct {
	Type  string   `json:"type"`
	Reply OutReply `json:"reply"`
}

// OutReply is a reply button's id (sent back as the payload) and title.
type OutReply struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// OutSection is a group of list rows.
type OutSection struct {
	Title string   `json:"title,omitempty"`
	Rows  []OutRow `json:"rows"`
}

// OutRow is one list row.
type OutRow struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// Cloud API limits of interactive messages.
const (
	maxReplyButtons    = 3
	maxListRows        = 10
	maxButtonTitle     = 20
	maxRowTitle        = 24
	maxRowDescription  = 72
	maxInteractiveBody = 1024
	maxCaption         = 1024
	// listLabel opens the list on the customer's phone.
	listLabel = "Options"
)

func newOut(to, typ string) OutMessage {
	return OutMessage{MessagingProduct: "whatsapp", RecipientType: "individual", To: to, Type: typ}
}

// textMessage is a plain text message.
func textMessage(to, text string) OutMessage {
	m := newOut(to, "text")
	m.Text = &OutText{Body: text}
	return m
}

// templateMessage sends the template m was rendered from.
func templateMessage(to string, m desk.Message) (OutMessage, error) {
	ref := m.Template
	if ref == nil || ref.Name == "" || ref.Language == "" {
		return OutMessage{}, errors.New("whatsapp: the message does not name its template; send it again from the template list")
	}
	t := &OutTemplate{Name: ref.Name, Language: OutLanguage{Code: ref.Language}}
	if len(ref.HeaderParams) > 0 {
		t.Components = append(t.Components, OutComponent{Type: "header", Parameters: textParams(ref.HeaderParams)})
	}
	if len(ref.Params) > 0 {
		t.Components = append(t.Components, OutComponent{Type: "body", Parameters: textParams(ref.Params)})
	}
	for _, b := range ref.Buttons {
		c := OutComponent{Type: "button", SubType: b.SubType, Index: strconv.Itoa(b.Index)}
		switch b.SubType {
		case "url":
			c.Parameters = []OutParam{{Type: "text", Text: b.Value}}
		case "quick_reply":
			c.Parameters = []OutParam{{Type: "payload", Payload: b.Value}}
		default:
			return OutMessage{}, fmt.Errorf("whatsapp: template button %d: sub_type must be url or quick_reply", b.Index)
		}
		t.Components = append(t.Components, c)
	}
	out := newOut(to, "template")
	out.Template = t
	return out, nil
}

func textParams(vs []string) []OutParam {
	ps := make([]OutParam, len(vs))
	for i, v := range vs {
		ps[i] = OutParam{Type: "text", Text: v}
	}
	return ps
}

// menuMessage offers m's buttons: reply buttons up to 3, a list up to 10.
// A menu WhatsApp cannot show (more options, a longer text) goes as text
// with numbered options, which the customer answers by typing.
func menuMessage(to string, m desk.Message) OutMessage {
	body := strings.TrimSpace(m.Text)
	if body == "" {
		body = "Please choose:"
	}
	if len(m.Buttons) > maxListRows || utf8.RuneCountInString(body) > maxInteractiveBody {
		lines := []string{body}
		for i, b := range m.Buttons {
			lines = append(lines, fmt.Sprintf("%d. %s", i+1, b.Title))
		}
		return textMessage(to, clip(strings.Join(lines, "\n"), 4096))
	}
	in := &OutInteractive{Body: OutBody{Text: body}}
	if len(m.Buttons) <= maxReplyButtons {
		in.Type = "button"
		for _, b := range m.Buttons {
			in.Action.Buttons = append(in.Action.Buttons, OutButton{Type: "reply",
				Reply: OutReply{ID: clip(buttonID(b), 256), Title: clip(b.Title, maxButtonTitle)}})
		}
	} else {
		in.Type, in.Action.Button = "list", listLabel
		rows := make([]OutRow, 0, len(m.Buttons))
		for _, b := range m.Buttons {
			r := OutRow{ID: clip(buttonID(b), 200), Title: clip(b.Title, maxRowTitle)}
			if r.Title != b.Title {
				r.Description = clip(b.Title, maxRowDescription) // the whole title, where it fits
			}
			rows = append(rows, r)
		}
		in.Action.Sections = []OutSection{{Rows: rows}}
	}
	out := newOut(to, "interactive")
	out.Interactive = in
	return out
}

func buttonID(b desk.Button) string {
	if b.ID != "" {
		return b.ID
	}
	return b.Title
}

// mediaType is how an attachment travels: as its own media type when
// WhatsApp takes its format and size, else as a document.
func mediaType(mt string, size int64) (string, error) {
	switch {
	case (mt == "image/jpeg" || mt == "image/png") && size <= classImage.limit():
		return "image", nil
	case (mt == "video/mp4" || mt == "video/3gpp") && size <= classVideo.limit():
		return "video", nil
	case strings.HasPrefix(mt, "audio/") && classAudio.allows(mt) && size <= classAudio.limit():
		return "audio", nil
	case size <= classDocument.limit():
		return "document", nil
	}
	return "", fmt.Errorf("whatsapp: the file is too large to send (%.1f MiB; at most 100 MiB)", float64(size)/(1<<20))
}

// mediaMessage sends an uploaded file by its media id.
func mediaMessage(to, typ, mediaID, caption, filename string) OutMessage {
	out := newOut(to, typ)
	md := &OutMedia{ID: mediaID, Caption: caption}
	switch typ {
	case "image":
		out.Image = md
	case "video":
		out.Video = md
	case "audio":
		md.Caption = "" // audio takes no caption
		out.Audio = md
	default:
		md.Filename = filename
		out.Document = md
	}
	return out
}
