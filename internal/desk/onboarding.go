package desk

// The guided start: the five steps from an empty server to a first
// conversation, each ticked from what exists, shown to admins until all
// are done.

// OnboardingStepID names a step of the guided start.
type OnboardingStepID string

// The steps, in the order they are done.
const (
	StepBot          OnboardingStepID = "bot"
	StepChannel      OnboardingStepID = "channel"
	StepSnippet      OnboardingStepID = "snippet"
	StepAgent        OnboardingStepID = "agent"
	StepConversation OnboardingStepID = "conversation"
)

// OnboardingStep is one step and whether it is done.
type OnboardingStep struct {
	ID   OnboardingStepID `json:"id"`
	Done bool             `json:"done"`
}

// Onboarding is an admin's checklist. Dismissed: they put it away for now;
// Complete: every step is done, and it is not shown again.
type Onboarding struct {
	Steps     []OnboardingStep `json:"steps"`
	Dismissed bool             `json:"dismissed"`
	Complete  bool             `json:"complete"`
}

// OnboardingFacts is what the store counts for the checklist.
type OnboardingFacts struct {
	Bot, WebChannel, WebConversation, Agent, Conversation bool
	// SnippetDone: the admin said they copied the snippet or opened the
	// test page (a web channel's first conversation says so too).
	SnippetDone, Dismissed bool
}

// OnboardingOf ticks the steps from the facts.
func OnboardingOf(f OnboardingFacts) Onboarding {
	o := Onboarding{Dismissed: f.Dismissed, Steps: []OnboardingStep{
		{StepBot, f.Bot},
		{StepChannel, f.WebChannel},
		{StepSnippet, f.WebConversation || (f.WebChannel && f.SnippetDone)},
		{StepAgent, f.Agent},
		{StepConversation, f.Conversation},
	}}
	o.Complete = true
	for _, s := range o.Steps {
		o.Complete = o.Complete && s.Done
	}
	return o
}
