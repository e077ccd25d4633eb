package desk

import (
	"strings"
	"time"
	"unicode/utf8"
)

// CSAT is a bot's customer-satisfaction survey: off by default. When on,
// a customer whose conversation an agent resolves is asked to rate it 1–5.
type CSAT struct {
	Enabled bool `json:"enabled"`
	// Question is the text asked, by customer language (en, es, pt-BR); a
	// language left empty asks DefaultCSATQuestions' wording.
	Question map[string]string `json:"question"`
	// AskComment offers an optional comment with the rating.
	AskComment bool `json:"ask_comment"`
}

// DefaultCSATQuestions are the questions asked when a bot sets none.
var DefaultCSATQuestions = map[string]string{
	"en":    "How would you rate the help you received?",
	"es":    "¿Cómo calificaría la atención recibida?",
	"pt-BR": "Como você avalia o atendimento recebido?",
}

// CSAT limits: the question is one short text; the comment is a few
// sentences; an answer after CSATAnswerWindow is refused, so a survey
// found weeks later in a chat history does not move this month's figures.
const (
	MaxCSATQuestion  = 300
	MaxCSATComment   = 1000
	CSATAnswerWindow = 7 * 24 * time.Hour
)

// CSAT error codes: the survey was already answered (409), or can no
// longer be (not asked, or asked more than CSATAnswerWindow ago; 409).
const (
	CodeCSATAnswered Code = "csat_already_answered"
	CodeCSATClosed   Code = "csat_closed"
)

// CheckCSAT validates a bot's survey setting and drops empty questions.
func CheckCSAT(c *CSAT) error {
	out := map[string]string{}
	for lang, q := range c.Question {
		if CustomerLanguage(lang) != lang {
			return Invalid("csat.question", "%q is not one of en, es, pt-BR", lang)
		}
		q = strings.TrimSpace(q)
		if utf8.RuneCountInString(q) > MaxCSATQuestion {
			return Invalid("csat.question."+lang, "at most %d characters", MaxCSATQuestion)
		}
		if q != "" {
			out[lang] = q
		}
	}
	c.Question = out
	return nil
}

// QuestionFor is the question in the customer's language (English when
// the language is unknown), falling back to the default wording.
func (c CSAT) QuestionFor(lang string) string {
	if l := CustomerLanguage(lang); l != "" {
		lang = l
	} else {
		lang = "en"
	}
	if q := c.Question[lang]; q != "" {
		return q
	}
	return DefaultCSATQuestions[lang]
}

// ShouldAskCSAT says whether resolving c asks its customer for a rating:
// the bot asks, an agent resolved it (not a block, an auto-close or the
// bot), and a person was talking with the customer (an assignee).
func ShouldAskCSAT(s CSAT, c Conversation, actor Actor) bool {
	return s.Enabled && actor.User != nil && c.AssigneeID != nil
}

// CSATAnswer is a customer's rating of a conversation.
type CSATAnswer struct {
	Score   int    `json:"score"`
	Comment string `json:"comment"`
}

// CheckCSATAnswer validates a rating and trims its comment.
func CheckCSATAnswer(a *CSATAnswer) error {
	if a.Score < 1 || a.Score > 5 {
		return Invalid("score", "must be between 1 and 5")
	}
	a.Comment = strings.TrimSpace(a.Comment)
	if utf8.RuneCountInString(a.Comment) > MaxCSATComment {
		return Invalid("comment", "at most %d characters", MaxCSATComment).WithDetail("max", MaxCSATComment)
	}
	return nil
}

// CSATState is where a conversation's survey stands: asked (AskedAt),
// answered (Score set), and whether an answer is still taken at now.
type CSATState struct {
	AskedAt    *time.Time `json:"asked_at"`
	Score      *int       `json:"score"`
	Comment    string     `json:"comment"`
	AnsweredAt *time.Time `json:"answered_at"`
}

// CheckCSATOpen says whether st takes an answer at now, with the stable
// code of why not.
func CheckCSATOpen(st CSATState, now time.Time) error {
	switch {
	case st.Score != nil:
		return Errorf(CodeCSATAnswered, "this conversation was already rated")
	case st.AskedAt == nil:
		return Errorf(CodeCSATClosed, "this conversation was not asked for a rating")
	case now.Sub(*st.AskedAt) > CSATAnswerWindow:
		return Errorf(CodeCSATClosed, "the rating closed %d days after it was asked", int(CSATAnswerWindow.Hours()/24))
	}
	return nil
}
