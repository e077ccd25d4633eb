package web

import (
	"context"
	"net/http"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/httpkit"
	"github.com/relevo/relevo/internal/widgetapi"
)

// maxCSATBody bounds POST /widget/v1/csat (a score and a comment).
const maxCSATBody = 16 << 10

// csatView is the survey of a resolved conversation as its customer sees
// it, or nil when it was never asked.
func (s *Service) csatView(ctx context.Context, c desk.Conversation) *widgetapi.WidgetCSAT {
	if c.Phase != desk.PhaseClosed {
		return nil
	}
	st, err := s.store.CSATOf(ctx, c.ID)
	if err != nil || st.AskedAt == nil {
		return nil
	}
	bot, err := s.store.GetBot(ctx, c.BotID)
	if err != nil {
		return nil
	}
	contact, err := s.store.GetContact(ctx, c.Contact.ID)
	if err != nil {
		return nil
	}
	return &widgetapi.WidgetCSAT{Question: bot.CSAT.QuestionFor(contact.Attributes[desk.LanguageAttribute]),
		AskComment: bot.CSAT.AskComment, Open: desk.CheckCSATOpen(st, s.store.Now()) == nil, Score: st.Score}
}

// ServeCSAT stores the visitor's rating of one of its own conversations.
func (s *Service) ServeCSAT(w http.ResponseWriter, r *http.Request) {
	res, err := s.answerCSAT(w, r)
	if err != nil {
		httpkit.WriteError(w, r, s.log, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, res)
}

func (s *Service) answerCSAT(w http.ResponseWriter, r *http.Request) (widgetapi.WidgetConversation, error) {
	v, err := s.authenticate(w, r, false)
	if err != nil {
		return widgetapi.WidgetConversation{}, err
	}
	if err := s.messages.Allow("token:" + v.tokenHash); err != nil {
		return widgetapi.WidgetConversation{}, err
	}
	var in widgetapi.WidgetCSATRequest
	if err := httpkit.DecodeJSON(w, r, &in, maxCSATBody); err != nil {
		return widgetapi.WidgetConversation{}, err
	}
	a := desk.CSATAnswer{Score: in.Score, Comment: in.Comment}
	if err := desk.CheckCSATAnswer(&a); err != nil {
		return widgetapi.WidgetConversation{}, err
	}
	ctx := r.Context()
	c, err := s.ownConversation(ctx, v, in.ConversationID)
	if err != nil {
		return widgetapi.WidgetConversation{}, err
	}
	if _, err := s.store.AnswerCSAT(ctx, c.ID, a); err != nil {
		return widgetapi.WidgetConversation{}, err
	}
	return s.conversationView(ctx, c), nil
}
