// Names for the server's objects, from the generated OpenAPI types
// (schema.ts, made by `npm run gen:api` from docs/openapi.json). The Go
// structs use named string types the document shows as plain strings;
// here they are narrowed to the values shared/API.md lists.
import type { components } from './schema'

type S = components['schemas']

export type Phase = 'bot' | 'waiting' | 'human' | 'closed'
export type Role = 'admin' | 'supervisor' | 'agent' | 'auditor'
export type UserStatus = 'online' | 'paused' | 'offline'
export type ChannelType = 'web' | 'whatsapp' | 'api'
export type AuthorType = 'contact' | 'bot' | 'agent' | 'system'
export type MessageKind = 'text' | 'image' | 'audio' | 'video' | 'file' | 'location' | 'template' | 'note' | 'event'
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'received'
export type EventType =
  | 'handover'
  | 'assigned'
  | 'unassigned'
  | 'transferred'
  | 'resolved'
  | 'auto_closed'
  | 'blocked'
  | 'tag_added'
  | 'tag_removed'
  | 'reopened'
  | 'csat'
  | 'csat_not_asked'
  | 'call_started'
  | 'call_answered'
  | 'call_declined'
  | 'call_missed'
  | 'call_cancelled'
  | 'call_ended'

export type User = Omit<S['User'], 'role' | 'status'> & { role: Role; status: UserStatus }
export type Bot = S['BotView']
export type Team = S['Team']
export type Channel = Omit<S['Channel'], 'type'> & { type: ChannelType }
export type Reason = S['Reason']
export type Tag = S['Tag']
export type Token = S['Token']
export type ConversationAction = S['ConversationAction']
export type Template = S['Template']
export type CannedReply = S['CannedReply']
export type Contact = S['Contact']
export type Note = S['Note']
export type Attachment = S['Attachment']
export type Colleague = Omit<S['Colleague'], 'status' | 'role'> & { status: UserStatus; role: Role }

export type Conversation = Omit<S['Conversation'], 'phase' | 'channel_type'> & {
  phase: Phase
  channel_type: ChannelType
}

/** ReportRow is a conversation of the conversations report, with what its timeline adds. */
export type ReportRow = Conversation & Omit<S['ReportRow'], keyof S['Conversation']>

export type TimelineEvent = Omit<S['Event'], 'type'> & { type: EventType }

export type Message = Omit<S['Message'], 'kind' | 'status' | 'author' | 'event'> & {
  kind: MessageKind
  status: MessageStatus
  author: Omit<S['Author'], 'type'> & { type: AuthorType }
  event: TimelineEvent | null
}

/** A page of a list route. */
export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

/** The inside of the error envelope {"error": {...}} every route answers errors with. */
export type ErrorBody = S['ErrorBody']

/** The server's stable error codes: the document lists every one. */
export type ErrorCode = S['ErrorCode']

/** An error as the client holds it: the server's, or 'network' when no server answered. */
export type ClientErrorBody = Omit<ErrorBody, 'code'> & { code: ErrorCode | 'network' }
