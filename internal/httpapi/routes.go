package httpapi

import (
	"slices"

	"github.com/relevo/relevo/internal/desk"
	"github.com/relevo/relevo/internal/store"
	"github.com/relevo/relevo/internal/widgetapi"
)

// routeTable is every route the API serves, with who may call it. The
// OpenAPI document is generated from this table, so the two cannot drift.
func (s *Server) routeTable() []Route {
	convQuery := []Param{
		{Name: "phase", Description: "bot, waiting, human, closed or all; comma-separated (default: open phases)"},
		{Name: "assignee", Description: "me, none or a user id; comma-separated"},
		{Name: "team", Description: "team ids, comma-separated"}, {Name: "channel", Description: "channel ids, comma-separated"},
		{Name: "bot", Description: "bot ids, comma-separated"}, {Name: "tag", Description: "tag ids, comma-separated"},
		{Name: "contact", Description: "exact contact name or phone"}, {Name: "contact_id"},
		{Name: "protocol"}, {Name: "q", Description: "full-text search over messages and contact name/phone"},
		{Name: "unread", Type: "boolean"}, {Name: "sort", Description: "waiting or updated (default)"},
		{Name: "from", Type: "date-time"}, {Name: "to", Type: "date-time"}, {Name: "updated_after", Type: "date-time"},
		{Name: "limit", Type: "integer"}, {Name: "cursor"},
	}
	// monitorQuery narrows GET /api/v1/monitor like the list (same names).
	monitorQuery := []Param{
		{Name: "bot", Description: "bot ids, comma-separated (default: the caller's bots)"},
		{Name: "team", Description: "team ids, comma-separated"}, {Name: "channel", Description: "channel ids, comma-separated"},
		{Name: "assignee", Description: "user ids or none, comma-separated"},
		{Name: "contact", Description: "exact contact name or phone"}, {Name: "protocol"},
	}
	type conv = desk.Conversation
	// The error codes of each route beyond those of its access and body
	// (routeCodes); keep them next to the route as handlers change.
	const (
		invalid  = desk.CodeValidationFailed
		notFound = desk.CodeNotFound
		conflict = desk.CodeConflict
		locked   = desk.CodeConversationLocked
	)
	// act is every lifecycle action: out of scope, not the actor's to do,
	// the wrong phase, or a race lost to someone else.
	act := []desk.Code{notFound, desk.CodeForbidden, desk.CodeInvalidPhase, conflict}
	// misconfigured: a channel whose stored config cannot be used (saved
	// before configs were checked on save) answers 503 without saying why.
	misconfigured := desk.CodeChannelMisconfigured
	// visitor is every widget route: no widget (not_found), no or a bad
	// session token, a site outside the channel's allowed_origins, a
	// channel that cannot be used.
	visitor := []desk.Code{notFound, desk.CodeUnauthenticated, desk.CodeForbidden, misconfigured}
	return []Route{
		{Method: "GET", Pattern: "/healthz", Tag: "ops", Summary: "Liveness", Access: AccessPublic, Response: healthResponse{}, Handler: s.healthz},
		{Method: "GET", Pattern: "/readyz", Tag: "ops", Summary: "Readiness: store and bus answer", Access: AccessPublic, Response: healthResponse{}, Also: []Answer{{Status: 503, Body: healthResponse{}}}, Handler: s.readyz},
		{Method: "GET", Pattern: "/metrics", Tag: "ops", Summary: "Prometheus metrics", Access: AccessPublic, Response: rawBody{"text/plain"}, Handler: s.serveMetrics},
		{Method: "GET", Pattern: "/api/openapi.json", Tag: "ops", Summary: "This document", Access: AccessPublic, Response: rawBody{"application/json"}, Handler: s.openAPI},

		{Method: "POST", Pattern: "/api/v1/auth/login", Tag: "auth", Summary: "Log in; sets the session cookie", Access: AccessPublic, Request: loginRequest{}, Response: userResponse{}, Errors: codes(invalid, desk.CodeUnauthenticated, desk.CodeRateLimited), Handler: s.login},
		{Method: "POST", Pattern: "/api/v1/auth/logout", Tag: "auth", Summary: "Log out", Access: AccessSession, Handler: s.logout},
		{Method: "GET", Pattern: "/api/v1/server", Tag: "auth", Summary: "What this server is: version, whether it runs the demo, whether it needs its first admin", Access: AccessPublic, Response: ServerInfo{}, Handler: s.serverInfo},
		{Method: "POST", Pattern: "/api/v1/setup", Tag: "auth", Summary: "Create the first admin and log in; only while no admin exists (not_found after)", Access: AccessPublic, Request: setupRequest{}, Response: userResponse{}, Errors: codes(invalid, notFound, desk.CodeSetupDone), Handler: s.setup},
		{Method: "GET", Pattern: "/api/v1/me", Tag: "auth", Summary: "The logged-in user", Access: AccessSession, Response: desk.User{}, Handler: s.me},
		{Method: "GET", Pattern: "/api/v1/me/onboarding", Tag: "auth", Summary: "The guided start: each step ticked from what exists, whether I put it away", Access: AccessAdmin, Response: desk.Onboarding{}, Handler: s.getOnboarding},
		{Method: "PUT", Pattern: "/api/v1/me/onboarding", Tag: "auth", Summary: "Put the guided start away or bring it back; mark the snippet step done", Access: AccessAdmin, Request: onboardingRequest{}, Response: desk.Onboarding{}, Errors: codes(desk.CodeBadRequest), Handler: s.putOnboarding},
		{Method: "PUT", Pattern: "/api/v1/me/status", Tag: "auth", Summary: "Go online, pause or offline", Access: AccessSession, Request: statusRequest{}, Response: desk.User{}, Errors: codes(invalid), Handler: s.setMyStatus},

		{Method: "GET", Pattern: "/api/v1/users", Tag: "settings", Summary: "List users", Access: AccessAdminWriteSupervisorRead, Response: page[desk.User]{}, Handler: s.listUsers},
		{Method: "POST", Pattern: "/api/v1/users", Tag: "settings", Summary: "Create a user", Access: AccessAdmin, Request: newUserRequest{}, Response: desk.User{}, Errors: codes(invalid, conflict), Handler: s.createUser},
		{Method: "GET", Pattern: "/api/v1/users/{id}", Tag: "settings", Summary: "Get a user", Access: AccessAdminWriteSupervisorRead, Response: desk.User{}, Errors: codes(notFound), Handler: s.getUser},
		{Method: "PATCH", Pattern: "/api/v1/users/{id}", Tag: "settings", Summary: "Change a user", Access: AccessAdmin, Request: userRequest{}, Response: desk.User{}, Errors: codes(invalid, conflict, notFound), Handler: s.patchUser},
		{Method: "DELETE", Pattern: "/api/v1/users/{id}", Tag: "settings", Summary: "Delete a user", Access: AccessAdmin, Errors: codes(conflict, notFound, desk.CodeAgentHasOpenSessions), Handler: s.deleteUser},
		{Method: "GET", Pattern: "/api/v1/teams", Tag: "settings", Summary: "List teams", Access: AccessSession, Response: page[desk.Team]{}, Handler: s.listTeams},
		{Method: "POST", Pattern: "/api/v1/teams", Tag: "settings", Summary: "Create a team", Access: AccessAdmin, Request: newTeamRequest{}, Response: desk.Team{}, Errors: codes(invalid), Handler: s.createTeam},
		{Method: "PATCH", Pattern: "/api/v1/teams/{id}", Tag: "settings", Summary: "Change a team", Access: AccessAdmin, Request: teamRequest{}, Response: desk.Team{}, Errors: codes(invalid, notFound), Handler: s.patchTeam},
		{Method: "DELETE", Pattern: "/api/v1/teams/{id}", Tag: "settings", Summary: "Delete a team", Access: AccessAdmin, Errors: codes(notFound), Handler: s.deleteTeam},
		{Method: "GET", Pattern: "/api/v1/bots", Tag: "settings", Summary: "List the caller's bots", Access: AccessSession, Response: page[botView]{}, Handler: s.listBots},
		{Method: "POST", Pattern: "/api/v1/bots", Tag: "settings", Summary: "Create a bot", Access: AccessAdmin, Request: newBotRequest{}, Response: desk.Bot{}, Errors: codes(invalid), Handler: s.createBot},
		{Method: "GET", Pattern: "/api/v1/bots/{id}", Tag: "settings", Summary: "Get a bot", Access: AccessSession, Response: botView{}, Errors: codes(notFound), Handler: s.getBot},
		{Method: "GET", Pattern: "/api/v1/bots/{id}/agents", Tag: "settings", Summary: "Online members of a bot: whom its conversations can be transferred to", Access: AccessSession, Query: []Param{{Name: "status", Description: "online (default) or any"}}, Response: page[colleague]{}, Errors: codes(notFound), Handler: s.botAgents},
		{Method: "PATCH", Pattern: "/api/v1/bots/{id}", Tag: "settings", Summary: "Change a bot", Access: AccessAdmin, Request: botRequest{}, Response: desk.Bot{}, Errors: codes(invalid, notFound), Handler: s.patchBot},
		{Method: "POST", Pattern: "/api/v1/bots/{id}/flow/simulate", Tag: "settings", Summary: "Run one customer message through a flow (given, or the bot's saved one) without a customer: writes and sends nothing", Access: AccessSupervisor, Request: flowSimulateRequest{}, Response: flowSimulateResponse{}, Errors: codes(invalid, notFound), Handler: s.simulateFlow},
		{Method: "POST", Pattern: "/api/v1/bots/{id}/webhook/test", Tag: "settings", Summary: "Send the bot's webhook a signed ping now; answers the logged attempt (a failing receiver is in the row, not an error)", Access: AccessAdmin, Response: store.BotDelivery{}, Errors: codes(invalid, notFound), Handler: s.testBotWebhook},
		{Method: "GET", Pattern: "/api/v1/bots/{id}/webhook/deliveries", Tag: "settings", Summary: "The bot's last 50 webhook attempts, newest first", Access: AccessSupervisor, Response: page[store.BotDelivery]{}, Errors: codes(notFound), Handler: s.listBotDeliveries},
		{Method: "POST", Pattern: "/api/v1/bots/{id}/webhook/secret", Tag: "settings", Summary: "Rotate the bot's webhook secret; the new one is answered here only", Access: AccessAdmin, Response: botSecretResponse{}, Errors: codes(notFound), Handler: s.rotateBotSecret},
		{Method: "GET", Pattern: "/api/v1/channels", Tag: "settings", Summary: "List channels", Access: AccessAdminWriteSupervisorRead, Response: page[desk.Channel]{}, Handler: s.listChannels},
		{Method: "POST", Pattern: "/api/v1/channels", Tag: "settings", Summary: "Create a channel", Access: AccessAdmin, Request: newChannelRequest{}, Response: desk.Channel{}, Errors: codes(invalid), Handler: s.createChannel},
		{Method: "GET", Pattern: "/api/v1/channels/{id}", Tag: "settings", Summary: "Get a channel", Access: AccessAdminWriteSupervisorRead, Response: desk.Channel{}, Errors: codes(notFound), Handler: s.getChannel},
		{Method: "PATCH", Pattern: "/api/v1/channels/{id}", Tag: "settings", Summary: "Change a channel", Access: AccessAdmin, Request: channelRequest{}, Response: desk.Channel{}, Errors: codes(invalid, notFound), Handler: s.patchChannel},
		{Method: "POST", Pattern: "/api/v1/channels/{id}/secret", Tag: "settings", Summary: "Turn on or rotate a web channel's identity verification: a new secret, answered this once", Access: AccessAdmin, Response: identitySecretResponse{}, Errors: codes(invalid, notFound, misconfigured), Handler: s.rotateChannelSecret},
		{Method: "GET", Pattern: "/api/v1/reasons", Tag: "settings", Summary: "List transfer reasons", Access: AccessSession, Response: page[desk.Reason]{}, Handler: s.listReasons},
		{Method: "POST", Pattern: "/api/v1/reasons", Tag: "settings", Summary: "Create a reason", Access: AccessAdmin, Request: reasonRequest{}, Response: desk.Reason{}, Errors: codes(invalid, conflict), Handler: s.createReason},
		{Method: "PATCH", Pattern: "/api/v1/reasons/{id}", Tag: "settings", Summary: "Rename a reason (past transfers keep the name they were made with)", Access: AccessAdmin, Request: reasonPatchRequest{}, Response: desk.Reason{}, Errors: codes(invalid, notFound, conflict), Handler: s.patchReason},
		{Method: "DELETE", Pattern: "/api/v1/reasons/{id}", Tag: "settings", Summary: "Stop offering a reason (past transfers and reports keep its name)", Access: AccessAdmin, Errors: codes(notFound), Handler: s.deleteReason},
		{Method: "GET", Pattern: "/api/v1/tags", Tag: "settings", Summary: "List tags", Access: AccessUserOrToken, Response: page[desk.Tag]{}, Handler: s.listTags},
		{Method: "POST", Pattern: "/api/v1/tags", Tag: "settings", Summary: "Create a tag", Access: AccessAdmin, Request: tagRequest{}, Response: desk.Tag{}, Errors: codes(invalid, conflict), Handler: s.createTag},
		{Method: "PATCH", Pattern: "/api/v1/tags/{id}", Tag: "settings", Summary: "Rename or recolour a tag", Access: AccessAdmin, Request: tagPatchRequest{}, Response: desk.Tag{}, Errors: codes(invalid, notFound, conflict), Handler: s.patchTag},
		{Method: "DELETE", Pattern: "/api/v1/tags/{id}", Tag: "settings", Summary: "Delete a tag and take it off every conversation", Access: AccessAdmin, Errors: codes(notFound), Handler: s.deleteTag},
		{Method: "GET", Pattern: "/api/v1/templates", Tag: "settings", Summary: "Approved templates of a channel offered to the caller's role", Access: AccessSession, Query: []Param{{Name: "channel_id", Required: true}}, Response: page[desk.Template]{}, Errors: codes(invalid, notFound), Handler: s.listTemplates},
		{Method: "PATCH", Pattern: "/api/v1/templates/{id}", Tag: "settings", Summary: "Choose which roles are offered a template (admins always are); a sync keeps them", Access: AccessAdmin, Request: templateRolesRequest{}, Response: desk.Template{}, Errors: codes(invalid, notFound), Handler: s.patchTemplate},
		{Method: "POST", Pattern: "/api/v1/templates", Tag: "settings", Summary: "Create a template", Access: AccessAdmin, Request: newTemplateRequest{}, Response: desk.Template{}, Errors: codes(invalid, conflict), Handler: s.createTemplate},
		{Method: "GET", Pattern: "/api/v1/canned-replies", Tag: "settings", Summary: "Canned replies the caller may use: their own and their bots' (or one bot's), searched over shortcut and text, at most 50", Access: AccessSession, Query: []Param{{Name: "bot", Description: "one bot id (default: all of the caller's bots)"}, {Name: "q", Description: "text the shortcut or the text contains"}}, Response: page[desk.CannedReply]{}, Errors: codes(invalid, notFound), Handler: s.listCanned},
		{Method: "POST", Pattern: "/api/v1/canned-replies", Tag: "settings", Summary: "Create a canned reply: a bot's (its supervisors and admins) or personal", Access: AccessSession, Request: newCannedRequest{}, Response: desk.CannedReply{}, Errors: codes(invalid, notFound, desk.CodeForbidden, conflict), Handler: s.createCanned},
		{Method: "PATCH", Pattern: "/api/v1/canned-replies/{id}", Tag: "settings", Summary: "Change a canned reply", Access: AccessSession, Request: cannedPatchRequest{}, Response: desk.CannedReply{}, Errors: codes(invalid, notFound, desk.CodeForbidden, conflict), Handler: s.patchCanned},
		{Method: "DELETE", Pattern: "/api/v1/canned-replies/{id}", Tag: "settings", Summary: "Delete a canned reply", Access: AccessSession, Errors: codes(notFound, desk.CodeForbidden), Handler: s.deleteCanned},
		{Method: "GET", Pattern: "/api/v1/settings/calls", Tag: "settings", Summary: "Calls' connectivity: STUN and TURN servers (secrets masked), credential lifetime, relay only, and this node's relay", Access: AccessAdmin, Response: callSettingsView{}, Handler: s.getCallSettings},
		{Method: "PATCH", Pattern: "/api/v1/settings/calls", Tag: "settings", Summary: "Change calls' connectivity (a secret sent as ******** keeps its value)", Access: AccessAdmin, Request: callSettingsRequest{}, Response: callSettingsView{}, Errors: codes(invalid), Handler: s.patchCallSettings},
		{Method: "GET", Pattern: "/api/v1/tokens", Tag: "settings", Summary: "List API tokens (never their secrets)", Access: AccessAdmin, Response: page[store.Token]{}, Handler: s.listTokens},
		{Method: "POST", Pattern: "/api/v1/tokens", Tag: "settings", Summary: "Create an API token, shown this once", Access: AccessAdmin, Request: tokenRequest{}, Response: tokenResponse{}, Errors: codes(invalid), Handler: s.createToken},
		{Method: "PATCH", Pattern: "/api/v1/tokens/{id}", Tag: "settings", Summary: "Change an API token's own rate limit (null: the server's default)", Access: AccessAdmin, Request: tokenPatchRequest{}, Response: store.Token{}, Errors: codes(invalid, notFound), Handler: s.patchToken},
		{Method: "DELETE", Pattern: "/api/v1/tokens/{id}", Tag: "settings", Summary: "Revoke an API token", Access: AccessAdmin, Errors: codes(notFound), Handler: s.revokeToken},

		{Method: "POST", Pattern: "/api/v1/channels/{id}/inbound", Tag: "channels", Summary: "A customer message through the API channel", Access: AccessIntegration, Request: inboundRequest{}, Response: inboundResponse{}, Errors: codes(invalid, notFound), Handler: s.inbound},
		{Method: "GET", Pattern: "/api/v1/channels/{id}/templates", Tag: "channels", Summary: "Every template of a channel whatever its status, and when they were last synced", Access: AccessAdminWriteSupervisorRead, Response: channelTemplates{}, Errors: codes(notFound), Handler: s.listChannelTemplates},
		{Method: "POST", Pattern: "/api/v1/channels/{id}/check", Tag: "channels", Summary: "Check a WhatsApp channel against the Graph API: the number, the account, and what is wrong in words", Access: AccessAdmin, Response: desk.ChannelCheck{}, Errors: codes(invalid, notFound), Handler: s.checkChannel},
		{Method: "POST", Pattern: "/api/v1/channels/{id}/templates/sync", Tag: "channels", Summary: "Read the channel's templates from its WhatsApp Business Account (roles are kept)", Access: AccessAdmin, Response: page[desk.Template]{}, Errors: codes(invalid, notFound), Handler: s.syncTemplates},
		{Method: "GET", Pattern: "/webhooks/whatsapp/{channel_id}", Tag: "channels", Summary: "WhatsApp verification handshake: echoes hub.challenge", Access: AccessWebhook, Query: []Param{{Name: "hub.mode", Required: true}, {Name: "hub.verify_token", Required: true}, {Name: "hub.challenge", Required: true}}, Response: rawBody{"text/plain"}, Errors: codes(notFound, desk.CodeForbidden, desk.CodeBadRequest, misconfigured), Handler: s.whatsappVerify},
		{Method: "POST", Pattern: "/webhooks/whatsapp/{channel_id}", Tag: "channels", Summary: "WhatsApp notifications, signed with X-Hub-Signature-256 over the raw body", Access: AccessWebhook, Request: rawBody{"application/json"}, Response: rawBody{"text/plain"}, Errors: codes(notFound, desk.CodeBadRequest, desk.CodePayloadTooLarge, desk.CodeInvalidSignature, misconfigured), Handler: s.whatsappWebhook},

		{Method: "GET", Pattern: "/widget.js", Tag: "widget", Summary: "The widget loader sites embed (<script src=\".../widget.js\" data-channel=\"ID\" async>)", Access: AccessPublic, Response: rawBody{"text/javascript"}, Errors: codes(notFound), Also: []Answer{{Status: 503, Body: rawBody{"text/javascript"}}}, Handler: s.widgetLoader},
		{Method: "GET", Pattern: "/widget/try/{channel_id}", Tag: "widget", Summary: "A test page of this server with a web channel's widget on it, to chat as a customer", Access: AccessPublic, Response: rawBody{"text/html"}, Errors: codes(notFound), Handler: s.tryPage},
		{Method: "GET", Pattern: "/widget/v1/channels/{id}/config", Tag: "widget", Summary: "A web channel's public settings: name, pre-chat fields, languages", Access: AccessPublic, Response: widgetapi.WidgetConfig{}, Errors: codes(notFound, desk.CodeForbidden, misconfigured), Handler: s.widgetConfig},
		{Method: "POST", Pattern: "/widget/v1/sessions", Tag: "widget", Summary: "Start a visitor session (anonymous, or identified with identifier_hash)", Access: AccessPublic, Request: widgetapi.WidgetSessionRequest{}, Response: widgetapi.WidgetSessionResponse{}, Errors: with(visitor, invalid, desk.CodeRateLimited), Handler: s.widgetSession},
		{Method: "GET", Pattern: "/widget/v1/messages", Tag: "widget", Summary: "The visitor's conversation as the customer sees it", Access: AccessWidget, Query: []Param{{Name: "conversation_id", Description: "one of the visitor's conversations (default: the open one, else the latest)"}, {Name: "after_seq", Type: "integer"}, {Name: "limit", Type: "integer"}}, Response: widgetapi.WidgetMessages{}, Errors: with(visitor, invalid), Handler: s.widgetMessages},
		{Method: "POST", Pattern: "/widget/v1/messages", Tag: "widget", Summary: "The visitor writes (idempotent on id)", Access: AccessWidget, Request: widgetapi.WidgetSendRequest{}, Response: widgetapi.WidgetMessage{}, Errors: with(visitor, invalid, desk.CodeRateLimited), Handler: s.widgetSend},
		{Method: "POST", Pattern: "/widget/v1/csat", Tag: "widget", Summary: "The visitor rates a resolved conversation of its own (once; csat_closed after 7 days)", Access: AccessWidget, Request: widgetapi.WidgetCSATRequest{}, Response: widgetapi.WidgetConversation{}, Errors: with(visitor, invalid, desk.CodeRateLimited, desk.CodeCSATAnswered, desk.CodeCSATClosed), Handler: s.widgetCSAT},
		{Method: "OPTIONS", Pattern: "/widget/v1/csat", Tag: "widget", Summary: "CORS preflight (channels' allowed_origins)", Access: AccessPublic, Errors: codes(notFound, desk.CodeBadRequest, desk.CodeForbidden, misconfigured), Handler: s.widgetPreflight},
		{Method: "POST", Pattern: "/widget/v1/uploads", Tag: "widget", Summary: "The visitor uploads one file (multipart field \"file\")", Access: AccessWidget, Request: rawBody{"multipart/form-data"}, Response: desk.Attachment{}, Errors: with(visitor, invalid, desk.CodeRateLimited, desk.CodeBadRequest, desk.CodePayloadTooLarge), Handler: s.widgetUpload},
		{Method: "GET", Pattern: "/widget/v1/uploads/{id}", Tag: "widget", Summary: "Download a file of the visitor's conversations", Access: AccessWidget, Response: uploadBodies(), Errors: visitor, Handler: s.widgetDownload},
		{Method: "GET", Pattern: "/widget/v1/ws", Tag: "widget", Summary: "The visitor's real-time socket (WebSocket upgrade; frames in docs/widget.md)", Access: AccessWidget, Query: []Param{{Name: "token", Description: "the widget session token"}}, Errors: visitor, Status: 101, Handler: s.widgetSocket},
		{Method: "OPTIONS", Pattern: "/widget/v1/channels/{id}/config", Tag: "widget", Summary: "CORS preflight (channels' allowed_origins)", Access: AccessPublic, Errors: codes(notFound, desk.CodeBadRequest, desk.CodeForbidden, misconfigured), Handler: s.widgetPreflight},
		{Method: "OPTIONS", Pattern: "/widget/v1/sessions", Tag: "widget", Summary: "CORS preflight (channels' allowed_origins)", Access: AccessPublic, Errors: codes(notFound, desk.CodeBadRequest, desk.CodeForbidden, misconfigured), Handler: s.widgetPreflight},
		{Method: "OPTIONS", Pattern: "/widget/v1/messages", Tag: "widget", Summary: "CORS preflight (channels' allowed_origins)", Access: AccessPublic, Errors: codes(notFound, desk.CodeBadRequest, desk.CodeForbidden, misconfigured), Handler: s.widgetPreflight},
		{Method: "OPTIONS", Pattern: "/widget/v1/uploads", Tag: "widget", Summary: "CORS preflight (channels' allowed_origins)", Access: AccessPublic, Errors: codes(notFound, desk.CodeBadRequest, desk.CodeForbidden, misconfigured), Handler: s.widgetPreflight},
		{Method: "GET", Pattern: "/widget/v1/calls/ice", Tag: "widget", Summary: "The visitor's ICE servers for calls (TURN credentials made for it, valid until expires_at)", Access: AccessWidget, Response: desk.IceConfig{}, Errors: visitor, Handler: s.widgetICE},
		{Method: "OPTIONS", Pattern: "/widget/v1/calls/ice", Tag: "widget", Summary: "CORS preflight (channels' allowed_origins)", Access: AccessPublic, Errors: codes(notFound, desk.CodeBadRequest, desk.CodeForbidden, misconfigured), Handler: s.widgetPreflight},
		{Method: "OPTIONS", Pattern: "/widget/v1/uploads/{id}", Tag: "widget", Summary: "CORS preflight (channels' allowed_origins)", Access: AccessPublic, Errors: codes(notFound, desk.CodeBadRequest, desk.CodeForbidden, misconfigured), Handler: s.widgetPreflight},

		{Method: "GET", Pattern: "/api/v1/conversations", Tag: "conversations", Summary: "List conversations", Access: AccessUserOrToken, Query: convQuery, Response: page[conv]{}, Errors: codes(invalid), Handler: s.listConversations},
		{Method: "POST", Pattern: "/api/v1/conversations/bulk", Tag: "conversations", Summary: "Resolve or transfer up to 5 conversations", Access: AccessSupervisor, Request: bulkRequest{}, Response: bulkResponse{}, Errors: codes(invalid, desk.CodeBulkLimitExceeded, desk.CodeReasonRequired), Handler: s.bulk},
		{Method: "GET", Pattern: "/api/v1/conversations/{id}", Tag: "conversations", Summary: "Get a conversation", Access: AccessUserOrToken, Response: conv{}, Errors: codes(notFound), Handler: s.getConversation},
		{Method: "GET", Pattern: "/api/v1/conversations/{id}/messages", Tag: "conversations", Summary: "The timeline", Access: AccessUserOrToken, Query: []Param{{Name: "after_seq", Type: "integer"}, {Name: "before_seq", Type: "integer"}, {Name: "limit", Type: "integer"}, {Name: "cursor", Description: "next_cursor of the previous page (continues an after_seq walk)"}}, Response: page[desk.Message]{}, Errors: codes(invalid, notFound), Handler: s.listMessages},
		{Method: "POST", Pattern: "/api/v1/conversations/{id}/messages", Tag: "conversations", Summary: "Send to the customer (assignee, or the bot in phase bot)", Access: AccessUserOrToken, Request: sendRequest{}, Response: desk.Message{}, Errors: codes(invalid, notFound, desk.CodeForbidden, desk.CodeInvalidPhase, locked, desk.CodeWindowClosed), Handler: s.send},
		{Method: "POST", Pattern: "/api/v1/conversations/{id}/notes", Tag: "conversations", Summary: "Internal note", Access: AccessSession, Request: textRequest{}, Response: desk.Message{}, Errors: codes(invalid, notFound, desk.CodeForbidden), Handler: s.addNote},
		{Method: "POST", Pattern: "/api/v1/conversations/{id}/handover", Tag: "conversations", Summary: "Hand over to people", Access: AccessUserOrToken, Request: handoverRequest{}, Response: conv{}, Errors: with(act, invalid), BodyOptional: true, Handler: s.handover},
		{Method: "POST", Pattern: "/api/v1/conversations/{id}/assign", Tag: "conversations", Summary: "Assign (or take over a bot conversation)", Access: AccessSession, Request: assignRequest{}, Response: conv{}, Errors: with(act, invalid, desk.CodeAgentUnavailable, desk.CodeAlreadyAssigned), BodyOptional: true, Handler: s.assign},
		{Method: "POST", Pattern: "/api/v1/conversations/{id}/unassign", Tag: "conversations", Summary: "Back to the queue", Access: AccessSession, Response: conv{}, Errors: act, Handler: s.unassign},
		{Method: "POST", Pattern: "/api/v1/conversations/{id}/transfer", Tag: "conversations", Summary: "Transfer to an agent or team, with a reason", Access: AccessSession, Request: transferRequest{}, Response: conv{}, Errors: with(act, invalid, locked, desk.CodeReasonRequired, desk.CodeAgentUnavailable), Handler: s.transfer},
		{Method: "POST", Pattern: "/api/v1/conversations/{id}/resolve", Tag: "conversations", Summary: "Resolve", Access: AccessSession, Response: conv{}, Errors: with(act, locked), Handler: s.resolve},
		{Method: "POST", Pattern: "/api/v1/conversations/{id}/block", Tag: "conversations", Summary: "Block the contact and close", Access: AccessSession, Response: conv{}, Errors: with(act, locked), Handler: s.blockConversation},
		{Method: "PUT", Pattern: "/api/v1/conversations/{id}/tags/{tag_id}", Tag: "conversations", Summary: "Add a tag", Access: AccessUserOrToken, Response: conv{}, Errors: codes(notFound, desk.CodeForbidden, locked), Handler: s.addTag},
		{Method: "DELETE", Pattern: "/api/v1/conversations/{id}/tags/{tag_id}", Tag: "conversations", Summary: "Remove a tag", Access: AccessUserOrToken, Response: conv{}, Errors: codes(notFound, desk.CodeForbidden, locked), Handler: s.removeTag},
		{Method: "POST", Pattern: "/api/v1/conversations/{id}/read", Tag: "conversations", Summary: "Mark read", Access: AccessSession, Response: conv{}, Errors: codes(notFound, desk.CodeForbidden), Handler: s.markRead},
		{Method: "POST", Pattern: "/api/v1/conversations/{id}/unread", Tag: "conversations", Summary: "Mark unread", Access: AccessSession, Response: conv{}, Errors: codes(notFound, desk.CodeForbidden), Handler: s.markUnread},
		{Method: "POST", Pattern: "/api/v1/uploads", Tag: "conversations", Summary: "Upload one file (multipart field \"file\")", Access: AccessUserOrToken, Request: rawBody{"multipart/form-data"}, Response: desk.Attachment{}, Errors: codes(invalid, desk.CodeBadRequest, desk.CodePayloadTooLarge), Handler: s.upload},
		{Method: "GET", Pattern: "/api/v1/uploads/{id}", Tag: "conversations", Summary: "Download an uploaded file", Access: AccessUserOrToken, Response: uploadBodies(), Errors: codes(notFound), Handler: s.download},

		{Method: "GET", Pattern: "/api/v1/contacts/{id}", Tag: "contacts", Summary: "Get a contact", Access: AccessUserOrToken, Response: desk.Contact{}, Errors: codes(notFound), Handler: s.getContact},
		{Method: "PATCH", Pattern: "/api/v1/contacts/{id}", Tag: "contacts", Summary: "Edit a contact", Access: AccessUserOrToken, Request: contactRequest{}, Response: desk.Contact{}, Errors: codes(invalid, notFound), Handler: s.patchContact},
		{Method: "GET", Pattern: "/api/v1/contacts/{id}/conversations", Tag: "contacts", Summary: "A contact's conversations", Access: AccessUserOrToken, Response: page[conv]{}, Errors: codes(invalid, notFound), Handler: s.contactConversations},
		{Method: "GET", Pattern: "/api/v1/contacts/{id}/notes", Tag: "contacts", Summary: "Contact notes", Access: AccessSession, Response: page[desk.Note]{}, Errors: codes(notFound), Handler: s.listContactNotes},
		{Method: "POST", Pattern: "/api/v1/contacts/{id}/notes", Tag: "contacts", Summary: "Add a contact note", Access: AccessSession, Request: textRequest{}, Response: desk.Note{}, Errors: codes(invalid, notFound), Handler: s.addContactNote},
		{Method: "POST", Pattern: "/api/v1/contacts/{id}/block", Tag: "contacts", Summary: "Block a contact (closes its open conversations)", Access: AccessSession, Response: desk.Contact{}, Errors: with(act, locked), Handler: s.blockContact},
		{Method: "POST", Pattern: "/api/v1/contacts/{id}/unblock", Tag: "contacts", Summary: "Unblock a contact", Access: AccessSupervisor, Response: desk.Contact{}, Errors: codes(notFound), Handler: s.unblockContact},

		{Method: "GET", Pattern: "/api/v1/monitor", Tag: "supervision", Summary: "Live counters, agents and teams", Access: AccessSupervisor, Query: monitorQuery, Response: store.Monitor{}, Errors: codes(invalid, notFound), Handler: s.monitor},
		{Method: "GET", Pattern: "/api/v1/monitor/health", Tag: "supervision", Summary: "Queue health: longest wait, median wait per team over the last hour, capacity, waits over a threshold", Access: AccessSupervisor, Query: []Param{{Name: "bot", Description: "bot ids, comma-separated (default: the caller's bots)"}, {Name: "threshold", Type: "duration", Description: "whole seconds (300) or a duration (\"5m\"); default: the caller's waiting_threshold_seconds, 300 until set"}}, Response: store.QueueHealth{}, Errors: codes(invalid, notFound), Handler: s.monitorHealth},
		{Method: "GET", Pattern: "/api/v1/me/monitor-preferences", Tag: "supervision", Summary: "The agents and teams I hide from my monitor, and my waiting threshold", Access: AccessSupervisor, Response: desk.MonitorPreferences{}, Handler: s.getMonitorPreferences},
		{Method: "PUT", Pattern: "/api/v1/me/monitor-preferences", Tag: "supervision", Summary: "Replace the agents and teams I hide from my monitor (and my waiting threshold, if given)", Access: AccessSupervisor, Request: monitorPreferencesRequest{}, Response: desk.MonitorPreferences{}, Errors: codes(invalid), Handler: s.putMonitorPreferences},
		{Method: "POST", Pattern: "/api/v1/agents/{id}/pause", Tag: "supervision", Summary: "Force an agent into pause (only with no open conversations)", Access: AccessSupervisor, Request: pauseRequest{}, Response: desk.User{}, Errors: codes(invalid, notFound, conflict, desk.CodeAgentHasOpenSessions), BodyOptional: true, Handler: s.pauseAgent},
		{Method: "POST", Pattern: "/api/v1/agents/{id}/unpause", Tag: "supervision", Summary: "End an agent's pause", Access: AccessSupervisor, Response: desk.User{}, Errors: codes(notFound, conflict), Handler: s.unpauseAgent},
		{Method: "POST", Pattern: "/api/v1/agents/{id}/logout", Tag: "supervision", Summary: "Log an agent out everywhere", Access: AccessSupervisor, Response: desk.User{}, Errors: codes(notFound, conflict), Handler: s.logoutAgent},
		{Method: "GET", Pattern: "/api/v1/chats/{user_id}/messages", Tag: "supervision", Summary: "Internal chat with a user", Access: AccessSession, Response: page[desk.ChatMessage]{}, Errors: codes(invalid, notFound), Handler: s.listChat},
		{Method: "POST", Pattern: "/api/v1/chats/{user_id}/messages", Tag: "supervision", Summary: "Write in the internal chat", Access: AccessSession, Request: textRequest{}, Response: desk.ChatMessage{}, Errors: codes(invalid, notFound), Handler: s.sendChat},

		{Method: "GET", Pattern: "/api/v1/calls/ice", Tag: "realtime", Summary: "The caller's ICE servers for calls (TURN credentials made for them, valid until expires_at)", Access: AccessSession, Response: desk.IceConfig{}, Handler: s.callsICE},
		{Method: "GET", Pattern: "/api/v1/ws", Tag: "realtime", Summary: "Real-time socket (WebSocket upgrade; frames in docs/realtime.md)", Access: AccessSession, Errors: codes(notFound), Status: 101, Handler: s.socket},

		{Method: "GET", Pattern: "/api/v1/reports/conversations", Tag: "reports", Summary: "Conversations report (json or csv)", Access: AccessSupervisor, Query: append(convQuery, Param{Name: "format", Description: "json (default) or csv"}), Response: bodies{page[reportRow]{}, rawBody{"text/csv"}}, Errors: codes(invalid), Handler: s.reportConversations},
		{Method: "GET", Pattern: "/api/v1/reports/agents", Tag: "reports", Summary: "Per-agent figures", Access: AccessSupervisor, Query: []Param{{Name: "from", Type: "date-time"}, {Name: "to", Type: "date-time"}, {Name: "bot"}}, Response: agentReportResponse{}, Errors: codes(invalid, notFound), Handler: s.reportAgents},
		{Method: "GET", Pattern: "/api/v1/reports/csat", Tag: "reports", Summary: "Customer satisfaction of the surveys asked in the period: total, per agent and team (answers, average, response rate), comments", Access: AccessSupervisor, Query: []Param{{Name: "from", Type: "date-time"}, {Name: "to", Type: "date-time"}, {Name: "bot"}}, Response: csatReportResponse{}, Errors: codes(invalid, notFound), Handler: s.reportCSAT},
		{Method: "GET", Pattern: "/api/v1/reports/calls", Tag: "reports", Summary: "Calls started in the period: total, per agent and team (made, received, answered, missed, declined, talk time)", Access: AccessSupervisor, Query: []Param{{Name: "from", Type: "date-time"}, {Name: "to", Type: "date-time"}, {Name: "bot"}}, Response: callsReportResponse{}, Errors: codes(invalid, notFound), Handler: s.reportCalls},
		{Method: "GET", Pattern: "/api/v1/reports/queues", Tag: "reports", Summary: "Per team and hour: waiting time median and p90, abandoned before assignment", Access: AccessSupervisor, Query: []Param{{Name: "from", Type: "date-time"}, {Name: "to", Type: "date-time"}, {Name: "bot"}, {Name: "team"}, {Name: "tz", Description: "IANA time zone the hours are cut in (default UTC)"}, {Name: "business_time", Description: "true: waits count only the bots' business hours"}}, Response: queueReportResponse{}, Errors: codes(invalid, notFound), Handler: s.reportQueues},
		{Method: "GET", Pattern: "/api/v1/reports/bots", Tag: "reports", Summary: "Per bot: conversations, handover rate, containment, top handover steps", Access: AccessSupervisor, Query: []Param{{Name: "from", Type: "date-time"}, {Name: "to", Type: "date-time"}, {Name: "bot"}}, Response: botReportResponse{}, Errors: codes(invalid, notFound), Handler: s.reportBots},
	}
}

// codes lists a route's error codes.
func codes(c ...desk.Code) []desk.Code { return c }

// with is base and more, base untouched (routes share it).
func with(base []desk.Code, more ...desk.Code) []desk.Code {
	return append(slices.Clone(base), more...)
}
