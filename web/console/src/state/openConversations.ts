// Reading every open conversation of one phase, page after page: what the
// floor's screens (the monitor's phase lists, the queue screen) start
// from before the socket's frames keep them live.
import { api } from '../api/client'
import type { Conversation, Page } from '../api/types'

export type OpenPhase = 'bot' | 'waiting' | 'human'

/**
 * loadOpen reads every conversation of phase, of botId ('all': every bot
 * of the user), narrowed by the list filters in
 * filters (the monitor's). current tells whether the caller still wants
 * the answer (a newer read started): if not, it stops early. Callers
 * sort by wait themselves, so the pages are read in the updated order,
 * whose pages cost the same however deep (the waiting order's unread part
 * is the viewer's, which the floor does not care about).
 */
export async function loadOpen(
  phase: OpenPhase,
  botId: string,
  current: () => boolean,
  filters: Record<string, string | undefined> = {},
): Promise<Conversation[]> {
  const items: Conversation[] = []
  let cursor: string | undefined
  for (;;) {
    const page = (await api.get('/api/v1/conversations', {
      query: { phase, bot: botId !== 'all' ? botId : undefined, ...filters, sort: 'updated', limit: 200, cursor },
    })) as Page<Conversation>
    if (!current()) return items
    items.push(...page.items)
    if (!page.next_cursor) return items
    cursor = page.next_cursor
  }
}
