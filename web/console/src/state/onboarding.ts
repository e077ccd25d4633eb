// The guided start on an admin's dashboard: five steps from an empty
// server to a first conversation, each ticked by the server from what
// exists (GET /api/v1/me/onboarding). Putting it away and bringing it back
// are stored on the server, per admin, so another browser agrees.
import { reactive } from 'vue'
import { api } from '../api/client'
import type { components } from '../api/schema'
import { session, socket } from './session'
import { fail } from './toasts'

export type Onboarding = components['schemas']['Onboarding']
export type StepID = 'bot' | 'channel' | 'snippet' | 'agent' | 'conversation'

export const onboarding = reactive({
  /** state: null until read, and for everyone but admins. */
  state: null as Onboarding | null,
  /** webChannel: the first web channel's id, where the snippet step leads; null: none yet. */
  webChannel: null as string | null,
})

/** unfinished: whether the dashboard has anything to say about it. */
export function unfinished(): boolean {
  return !!onboarding.state && !onboarding.state.complete
}

export function doneCount(): number {
  return onboarding.state?.steps.filter((s) => s.done).length ?? 0
}

export async function loadOnboarding(): Promise<void> {
  if (session.me?.role !== 'admin') {
    onboarding.state = null
    onboarding.webChannel = null
    return
  }
  onboarding.state = await api.get('/api/v1/me/onboarding')
  // The snippet is on the web channel's form: once there is one, the
  // step leads there rather than to the list.
  const snippetOpen = onboarding.state.steps.some((s) => s.id === 'snippet' && !s.done)
  const hasChannel = onboarding.state.steps.some((s) => s.id === 'channel' && s.done)
  if (snippetOpen && hasChannel && !onboarding.webChannel) {
    const list = await api.get('/api/v1/channels')
    onboarding.webChannel = list.items.find((c) => c.type === 'web')?.id ?? null
  }
}

async function put(body: { dismissed?: boolean; snippet_done?: boolean }): Promise<void> {
  onboarding.state = await api.put('/api/v1/me/onboarding', { body })
}

/** dismiss puts the checklist away until "Get started" brings it back. */
export const dismiss = () => put({ dismissed: true })
export const resume = () => put({ dismissed: false })
/** snippetDone: the admin copied the snippet or opened the test page. */
export const snippetDone = () => put({ snippet_done: true })

// A conversation arriving ticks the last steps: read the checklist again
// when one changes while it still waits for them.
socket.on((f) => {
  if (f.type !== 'conversation.updated' || !unfinished()) return
  const open = onboarding.state?.steps.some((s) => !s.done && (s.id === 'conversation' || s.id === 'snippet'))
  if (open) loadOnboarding().catch(fail)
})
