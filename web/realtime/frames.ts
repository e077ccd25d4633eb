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
  | 'conversation.view'
  | 'conversation.leave'
  | 'conversation.typing'

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

/** Role is what a user may do. */
export type Role =
  | 'agent'
  | 'auditor'
  | 'supervisor'
  | 'admin'
