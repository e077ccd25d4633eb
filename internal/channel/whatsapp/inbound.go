package whatsapp

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/relevo/relevo/internal/desk"
)

// draft is what one webhook message becomes, before its media is fetched:
// a pure translation, so the fuzz target covers it.
type draft struct {
	Kind  desk.MessageKind
	Text  string
	Extra desk.MessageExtra
	// Media is set for messages whose file lives at Meta until fetched.
	Media *mediaRef
	// Reaction is set for a reaction: not a message of its own, but a
	// change to the message it reacts to.
	Reaction *Reaction
	// NewWaID is the customer's new WhatsApp id after a number change.
	NewWaID string
}

// mediaRef names a file to fetch from the Graph API.
type mediaRef struct {
	ID    string
	Mime  string
	Name  string
	Class mediaClass
}

// draftOf translates a webhook message. Every type, known or not, gives a
// storable message (text, media, location or payload): nothing is lost.
func draftOf(m Message) draft {
	d := draft{Kind: desk.KindText}
	if m.Context != nil {
		d.Extra.ReplyTo = m.Context.ID
	}
	switch m.Type {
	case "text":
		if m.Text != nil {
			d.Text = m.Text.Body
		}
	case "image", "video", "audio", "document", "sticker":
		d.media(m)
	case "location":
		d.location(m.Location)
	case "contacts":
		d.Text = contactsText(m.Contacts)
	case "interactive":
		d.interactive(m.Interactive)
	case "button":
		if m.Button != nil {
			d.Text, d.Extra.Payload = m.Button.Text, m.Button.Payload
		}
	case "reaction":
		if m.Reaction != nil && m.Reaction.MessageID != "" {
			d.Reaction = m.Reaction
			return d
		}
	case "system":
		if m.System != nil {
			d.Text = "[" + firstNonEmpty(m.System.Body, "WhatsApp system message: "+m.System.Type) + "]"
			if id := firstNonEmpty(string(m.System.NewWaID), string(m.System.WaID)); numberChange(m.System.Type) && digits(id) {
				d.NewWaID = id
			}
		}
	case "unsupported":
		what := "message"
		if m.Unsupported != nil && m.Unsupported.Type != "" {
			what = fmt.Sprintf("message (%s)", m.Unsupported.Type)
		}
		d.Text = "[Unsupported WhatsApp " + what + errorsNote(m.Errors) + "]"
	default:
		d.Text = fmt.Sprintf("[Unsupported WhatsApp message type %q%s]", m.Type, errorsNote(m.Errors))
	}
	if strings.TrimSpace(d.Text) == "" && d.Media == nil && d.Extra.Location == nil && d.Extra.Payload == "" {
		d.Text = fmt.Sprintf("[Empty WhatsApp %s message]", firstNonEmpty(m.Type, "untyped"))
	}
	d.Text = clip(d.Text, desk.MaxTextLen)
	return d
}

func (d *draft) media(m Message) {
	class := mediaClass(m.Type)
	var md *Media
	switch class {
	case classImage:
		md, d.Kind = m.Image, desk.KindImage
	case classVideo:
		md, d.Kind = m.Video, desk.KindVideo
	case classAudio:
		md, d.Kind = m.Audio, desk.KindAudio
	case classDocument:
		md, d.Kind = m.Document, desk.KindFile
	case classSticker:
		md, d.Kind = m.Sticker, desk.KindImage
	}
	if md == nil || !digits(string(md.ID)) {
		d.Kind, d.Text = desk.KindText, fmt.Sprintf("[WhatsApp %s without a media id]", m.Type)
		return
	}
	d.Text = md.Caption
	name := md.Filename
	if class == classAudio && md.Voice {
		name = "voice-note"
	}
	d.Media = &mediaRef{ID: string(md.ID), Mime: md.MimeType, Name: name, Class: class}
}

func (d *draft) location(l *Location) {
	if l == nil {
		return
	}
	lat, lng := float64(l.Latitude), float64(l.Longitude)
	if lat < -90 || lat > 90 || lng < -180 || lng > 180 {
		d.Text = "[WhatsApp location with invalid coordinates]"
		return
	}
	d.Kind = desk.KindLocation
	d.Extra.Location = &desk.Location{Latitude: lat, Longitude: lng, Name: clip(l.Name, 1000), Address: clip(l.Address, 1000)}
	d.Text = strings.Join(nonEmpty(l.Name, l.Address), ", ")
}

func (d *draft) interactive(in *Interactive) {
	if in == nil {
		return
	}
	var r *Reply
	switch in.Type {
	case "button_reply":
		r = in.ButtonReply
	case "list_reply":
		r = in.ListReply
	}
	if r == nil {
		d.Text = fmt.Sprintf("[Unsupported WhatsApp interactive reply %q]", in.Type)
		return
	}
	d.Text, d.Extra.Payload = firstNonEmpty(r.Title, r.ID), clip(r.ID, 256)
}

// contactsText shows shared contact cards as text: a name and its
// numbers and emails per line.
func contactsText(cs []SharedContact) string {
	lines := make([]string, 0, len(cs))
	for _, c := range cs {
		name := firstNonEmpty(c.Name.FormattedName, strings.Join(nonEmpty(c.Name.FirstName, c.Name.LastName), " "), "(no name)")
		var ways []string
		for _, p := range c.Phones {
			ways = append(ways, firstNonEmpty(p.Phone, "+"+string(p.WaID)))
		}
		for _, e := range c.Emails {
			ways = append(ways, e.Email)
		}
		line := "Contact: " + name
		if c.Org.Company != "" {
			line += " (" + c.Org.Company + ")"
		}
		if ways = nonEmpty(ways...); len(ways) > 0 {
			line += ": " + strings.Join(ways, ", ")
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return "[WhatsApp contact card without contacts]"
	}
	return strings.Join(lines, "\n")
}

// numberChange reports whether a system message says the customer moved
// to a new number (its name has changed across API versions).
func numberChange(typ string) bool {
	return typ == "user_changed_number" || typ == "customer_changed_number"
}

// errorsNote is Meta's reason for an unsupported message, if it gave one.
func errorsNote(errs []Error) string {
	if len(errs) == 0 {
		return ""
	}
	e := errs[0]
	return ": " + firstNonEmpty(e.ErrorData.Details, e.Message, e.Title, fmt.Sprintf("code %d", int(e.Code)))
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func nonEmpty(vs ...string) []string {
	out := vs[:0:0]
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}

// clip cuts s to at most n runes, on a rune boundary.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
