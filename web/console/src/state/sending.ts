// Writing in the open conversation: optimistic sends matched to the stored
// message by client_id, retries (by hand, and once by themselves after an
// outage), notes and the typing signal.
import { api, ApiError } from '../api/client'
import type { Message } from '../api/types'
import { newClientID } from '../lib/format'
import { serverNow } from '../lib/clock'
import { i18n } from '../i18n'
import { session, socket } from './session'
import { toast } from './toasts'
import { current, putMessage, lockFor, caughtUp, type SendRequest, type TimelineMessage } from './conversation'

function optimistic(req: SendRequest, clientID: string): TimelineMessage {
  const me = session.me!
  const kind = req.template ? 'template' : req.attachments.length ? kindOf(req.attachments[0]!.mime) : 'text'
  return {
    id: 'local-' + clientID,
    conversation_id: current.id,
    seq: 0,
    author: { type: 'agent', id: me.id, name: me.name },
    kind,
    text: req.template ? req.template.preview : req.text,
    attachments: req.attachments,
    event: null,
    status: 'pending',
    error: null,
    created_at: new Date(serverNow()).toISOString(),
    client_id: clientID,
    local: 'sending',
    request: req,
  }
}

function kindOf(mime: string): Message['kind'] {
  if (mime.startsWith('image/')) return 'image'
  if (mime.startsWith('audio/')) return 'audio'
  if (mime.startsWith('video/')) return 'video'
  return 'file'
}

async function post(req: SendRequest, clientID: string): Promise<void> {
  const id = current.id
  const local = optimistic(req, clientID)
  const i = current.messages.findIndex((m) => m.local && m.client_id === clientID)
  if (i >= 0) current.messages.splice(i, 1, local)
  else current.messages.push(local)
  try {
    const m = (await api.post('/api/v1/conversations/{id}/messages', {
      path: { id },
      body: {
        text: req.template ? '' : req.text,
        attachment_ids: req.attachments.map((a) => a.id),
        template: req.template ? { id: req.template.id, params: req.template.params } : undefined,
        client_id: clientID,
      },
    })) as Message
    if (current.id === id) putMessage(m)
  } catch (e) {
    if (current.id !== id) return
    const j = current.messages.findIndex((m) => m.local && m.client_id === clientID)
    if (j >= 0) {
      // No answer at all (network down, or a 5xx on the way) is an outage;
      // an answer that refused the message is not.
      const outage = !(e instanceof ApiError) || e.status === 0 || e.status >= 500
      const failed: TimelineMessage = {
        ...current.messages[j]!,
        local: 'failed',
        localError: e instanceof ApiError ? e.code : 'network',
        retryOnReconnect: outage && !autoRetried.has(clientID),
      }
      current.messages.splice(j, 1, failed)
    }
    if (e instanceof ApiError && e.code === 'conversation_locked') lockFor(e.retryAfter)
    throw e
  }
}

/** send posts a reply optimistically; the answer (or a frame) replaces it. */
export function send(req: SendRequest): Promise<void> {
  return post(req, newClientID())
}

/**
 * retry sends a failed message again: a send that never reached the server
 * with its own client_id (the server keeps one copy), a message the channel
 * failed to deliver as a new message with a new client_id.
 */
export function retry(m: TimelineMessage): Promise<void> {
  if (m.local && m.request && m.client_id) return post(m.request, m.client_id)
  return post({ text: m.text, attachments: m.attachments }, newClientID())
}

/** client_ids already sent again by themselves: that happens once. */
const autoRetried = new Set<string>()

/**
 * retryUnsent sends again, once, each message an outage kept from the
 * server, now that the socket is back. Its client_id makes this safe: the
 * server keeps one message per client_id and answers a repeat with the
 * stored one. If it fails again it stays "Not sent", with Retry.
 */
async function retryUnsent(): Promise<void> {
  const id = current.id
  const unsent = current.messages.filter((m) => m.local === 'failed' && m.retryOnReconnect && m.request && m.client_id)
  for (const m of unsent) {
    if (current.id !== id) return
    autoRetried.add(m.client_id!)
    try {
      await post(m.request!, m.client_id!)
      toast(i18n.global.t('delivery.sentAfterReconnect'))
    } catch {
      // still "Not sent": the Retry button is the way now
    }
  }
}

/** discard drops a failed optimistic message. */
export function discard(m: TimelineMessage): void {
  const i = current.messages.indexOf(m)
  if (i >= 0 && m.local) current.messages.splice(i, 1)
}

export async function addNote(text: string): Promise<void> {
  const id = current.id
  const m = (await api.post('/api/v1/conversations/{id}/notes', { path: { id }, body: { text } })) as Message
  if (current.id === id) putMessage(m)
}

let lastTyping = 0
/** typing tells colleagues, at most every 3 s. */
export function typing(): void {
  const t = Date.now()
  if (!current.id || t - lastTyping < 3000) return
  lastTyping = t
  socket.typing(current.id)
}

// Registered after conversation.ts's own listener (this module imports it),
// so the resync of this reconnect has started and caughtUp waits for it.
socket.onOpen((reconnected) => {
  if (reconnected && current.id) void caughtUp().then(retryUnsent)
})
