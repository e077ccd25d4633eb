package store

import (
	"encoding/json"
	"fmt"

	"github.com/relevo/relevo/internal/desk"
)

// botFor reads the conversation's bot for an action that notifies the
// customer: its notices are in the customer's language (the contact's
// language attribute) when the bot has that variant.
func (t *txn) botFor(c desk.Conversation) (desk.Bot, error) {
	bot, err := t.loadBot(c.BotID)
	if err != nil || len(bot.Notices.Translations) == 0 {
		return bot, err
	}
	contact, err := readContact(t.ctx, t.tx, c.Contact.ID)
	if err != nil {
		return bot, err
	}
	bot.Notices = bot.Notices.For(contact.Attributes[desk.LanguageAttribute])
	return bot, nil
}

// setLanguage records the customer's language on a contact that has none
// yet: what an agent set is never overwritten.
func (t *txn) setLanguage(c *desk.Contact, lang string) error {
	if lang == "" || c.Attributes[desk.LanguageAttribute] != "" {
		return nil
	}
	attrs := map[string]string{desk.LanguageAttribute: lang}
	for k, v := range c.Attributes {
		attrs[k] = v
	}
	raw, err := json.Marshal(attrs)
	if err != nil {
		return fmt.Errorf("store: contact language: %w", err)
	}
	if _, err := t.exec(`UPDATE contacts SET attributes = $2 WHERE id = $1`, c.ID, string(raw)); err != nil {
		return fmt.Errorf("store: contact language: %w", err)
	}
	c.Attributes = attrs
	return nil
}

// checkNotices validates a bot's notices and their language variants.
func checkNotices(n desk.Notices) error {
	texts := []struct{ field, text string }{{"notices.queued", n.Queued}, {"notices.assigned", n.Assigned}, {"notices.resolved", n.Resolved}}
	for lang, v := range n.Translations {
		if desk.CustomerLanguage(lang) != lang {
			return desk.Invalid("notices.translations", "%q is not one of en, es, pt-BR", lang)
		}
		p := "notices.translations." + lang + "."
		texts = append(texts, struct{ field, text string }{p + "queued", v.Queued},
			struct{ field, text string }{p + "assigned", v.Assigned}, struct{ field, text string }{p + "resolved", v.Resolved})
	}
	for _, f := range texts {
		if _, err := cleanText(f.field, f.text, false, 1000); err != nil {
			return err
		}
	}
	return nil
}
