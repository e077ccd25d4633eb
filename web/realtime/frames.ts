// Code generated from the Go frame types (internal/realtime/frames.go,
// internal/channel/web) by TestFramesTSIsCurrent. DO NOT EDIT: change the Go
// types, then go test ./internal/realtime -run FramesTS -update.

/**
 * Frame is one server-to-client message. Data is the typed payload of
 * Type, encoded once per change and shared by every socket it goes to.
 */
export interface Frame {
  type: FrameType
  conversation_id?: string
  seq?: number
  data?: unknown
}

/**
 * Hello is the first frame on every socket: who you are and the server's
 * time, so clients can show lock countdowns without trusting their clock.
 */
export interface Hello {
  user_id: string
  server_time: string
}

/** AgentStatus is an agent's presence. */
export interface AgentStatus {
  user_id: string
  name: string
  status: UserStatus
  pause_reason: string
  /** StatusSince is when the status last changed. */
  status_since: string
}

/** AgentCall is whether an agent is on an accepted call now. */
export interface AgentCall {
  user_id: string
  on_call: boolean
}

/** Typing says someone is typing in a conversation (not stored). */
export interface Typing {
  user_id?: string
  name: string
  /** Author is "agent" or "contact". */
  author: AuthorType
}

/** MonitorCounters is the live floor for one supervisor's bots. */
export interface MonitorCounters {
  counters: Counters
  agents: AgentOpen[]
  teams: TeamCount[]
}

/** ErrorFrame answers a client frame the server could not take. */
export interface ErrorFrame {
  code: string
  message: string
}

/** ClientFrame is what a client may send. */
export interface ClientFrame {
  type: FrameType
  conversation_id: string
}

/**
 * ConversationViewers lists the others viewing a conversation (never the
 * receiver); an empty list means the receiver is alone again.
 */
export interface ConversationViewers {
  conversation_id: string
  viewers: Viewer[]
}

/** TagDeleted is the data of tag.deleted. */
export interface TagDeleted {
  tag_id: string
}

/**
 * CallFrame is a call frame from a client: call.start names the
 * conversation (the console's; the widget's is its own) and the media,
 * the others the call.
 */
export interface CallFrame {
  type: FrameType
  conversation_id: string
  call_id: string
  media: CallMedia
  kind: SignalKind
  sdp: string
  candidate: unknown
}

/**
 * CallView is a call as both parties see it (no node, no agent id: the
 * customer sees the call, not who is behind it).
 */
export interface CallView {
  id: string
  conversation_id: string
  started_by: CallParty
  media: CallMedia
  state: CallState
  created_at: string
  ring_until: string
  answered_at: string | null
  ended_at: string | null
  end_reason?: CallEndReason
  /**
   * Via is web or whatsapp: a WhatsApp call gets Meta's offer once
   * accepted and answers it with one complete SDP answer (wacalls.go).
   */
  via: CallVia
}

/**
 * CallSignal is WebRTC signalling from one party to the other, relayed
 * as is: an offer or answer carries SDP, ice a candidate.
 */
export interface CallSignal {
  call_id: string
  from: CallParty
  kind: SignalKind
  sdp?: string
  candidate?: unknown
}

/**
 * WidgetHello is the widget socket's first frame (docs/widget.md): the widget's
 * own, besides realtime's frames.
 */
export interface WidgetHello {
  contact_id: string
  server_time: string
}

/** WidgetClientFrame is what a widget may send: {"type":"typing"}. */
export interface WidgetClientFrame {
  type: FrameType
}

/** FrameType names a frame of the socket protocol (docs/realtime.md). */
export type FrameType =
  | 'call.start'
  | 'call.accept'
  | 'call.decline'
  | 'call.hangup'
  | 'call.signal'
  | 'call.ringing'
  | 'call.state'
  | 'hello'
  | 'conversation.updated'
  | 'message.created'
  | 'message.updated'
  | 'monitor.counters'
  | 'agent.status'
  | 'chat.message'
  | 'typing'
  | 'error'
  | 'conversation.viewers'
  | 'tag.deleted'
  | 'conversation.view'
  | 'conversation.leave'
  | 'conversation.typing'
  | 'agent.call'

/** UserStatus is an agent's presence. */
export type UserStatus =
  | 'online'
  | 'paused'
  | 'offline'

/** AuthorType says who wrote a message. */
export type AuthorType =
  | 'contact'
  | 'bot'
  | 'agent'
  | 'system'

/** Counters are the floor's live numbers. */
export interface Counters {
  total: number
  bot: number
  waiting: number
  human: number
}

/** AgentOpen is one agent's open conversations. */
export interface AgentOpen {
  id: string
  open: number
}

/** TeamCount is one team's queue and conversations with people. */
export interface TeamCount {
  id: string
  waiting: number
  human: number
}

/** Viewer is someone else viewing a conversation now. */
export interface Viewer {
  user_id: string
  name: string
  role: Role
  typing: boolean
}

/** CallMedia is what a call carries. */
export type CallMedia =
  | 'audio'
  | 'video'

/** SignalKind is what a signal carries. */
export type SignalKind =
  | 'offer'
  | 'answer'
  | 'ice'

/** CallParty is one side of a call. */
export type CallParty =
  | 'agent'
  | 'customer'

/**
 * CallState is where a call stands: ringing, then accepted and ended, or
 * one of declined, missed and cancelled. Only ringing and accepted are live.
 */
export type CallState =
  | 'ringing'
  | 'accepted'
  | 'ended'
  | 'declined'
  | 'missed'
  | 'cancelled'

/** CallEndReason says why a call that was not declined or missed stopped. */
export type CallEndReason =
  | 'hangup_agent'
  | 'hangup_customer'
  | 'node_restart'
  | 'conversation_closed'
  | 'channel_error'

/** CallVia is where a call's customer is. */
export type CallVia =
  | 'web'
  | 'whatsapp'

/** Role is what a user may do. */
export type Role =
  | 'agent'
  | 'auditor'
  | 'supervisor'
  | 'admin'
