package desk

import "testing"

func TestOnboardingOf(t *testing.T) {
	done := func(o Onboarding) (ids []OnboardingStepID) {
		for _, s := range o.Steps {
			if s.Done {
				ids = append(ids, s.ID)
			}
		}
		return ids
	}
	if o := OnboardingOf(OnboardingFacts{}); len(o.Steps) != 5 || len(done(o)) != 0 || o.Complete {
		t.Fatalf("empty server: %+v", o)
	}
	// Marking the snippet done means nothing before a web channel exists.
	if o := OnboardingOf(OnboardingFacts{Bot: true, SnippetDone: true}); len(done(o)) != 1 {
		t.Fatalf("snippet without a channel: %v", done(o))
	}
	o := OnboardingOf(OnboardingFacts{Bot: true, WebChannel: true, SnippetDone: true, Agent: true, Conversation: true})
	if !o.Complete {
		t.Fatalf("every step done: %+v", o)
	}
	if o := OnboardingOf(OnboardingFacts{Bot: true, WebChannel: true, WebConversation: true}); len(done(o)) != 3 {
		t.Fatalf("a web conversation ticks the snippet: %v", done(o))
	}
}
