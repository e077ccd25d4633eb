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
	// The out-of-hours notice has defaults in every language, so a bot
	// with a schedule needs the customer's language even untranslated.
	if err != nil || (len(bot.Notices.Translations) == 0 && !bot.BusinessHours.Enabled) {
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
