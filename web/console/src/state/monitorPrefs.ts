// What this supervisor hides from their own monitor (agents, teams) and
// how long a wait is too long (the queue health strip's threshold):
// stored on the server per user (GET|PUT /api/v1/me/monitor-preferences),
// so it survives reloads and other browsers and changes nobody else's view.
// Hidden rows leave the Agents and Teams tabs only; the lists and counters
// still count their conversations (hiding is about the panel, not the floor).
import { reactive } from 'vue'
import { api } from '../api/client'
import type { components } from '../api/schema'

type Prefs = components['schemas']['MonitorPreferences']

export const prefs = reactive({
  /** stored is the server's object as read, kept whole so fields added by others survive a PUT. */
  stored: { hidden_agent_ids: [], hidden_team_ids: [], waiting_threshold_seconds: 300 } as Prefs,
  /** showHidden brings hidden rows back (dimmed, with an Unhide button). */
  showHidden: false,
  saving: false,
})

export async function loadPrefs(): Promise<void> {
  prefs.stored = (await api.get('/api/v1/me/monitor-preferences')) as Prefs
}

async function save(next: Prefs): Promise<void> {
  prefs.saving = true
  try {
    prefs.stored = (await api.put('/api/v1/me/monitor-preferences', { body: next })) as Prefs
  } finally {
    prefs.saving = false
  }
}

function toggled(ids: string[], id: string, hide: boolean): string[] {
  const rest = ids.filter((x) => x !== id)
  return hide ? [...rest, id] : rest
}

/** setAgentHidden hides (or shows again) one agent on my panel. */
export function setAgentHidden(id: string, hide: boolean): Promise<void> {
  return save({ ...prefs.stored, hidden_agent_ids: toggled(prefs.stored.hidden_agent_ids, id, hide) })
}

/** setWaitingThreshold stores how long a wait may be before it is flagged. */
export function setWaitingThreshold(seconds: number): Promise<void> {
  return save({ ...prefs.stored, waiting_threshold_seconds: seconds })
}

/** setTeamHidden hides (or shows again) one team on my panel. */
export function setTeamHidden(id: string, hide: boolean): Promise<void> {
  return save({ ...prefs.stored, hidden_team_ids: toggled(prefs.stored.hidden_team_ids, id, hide) })
}

export function agentHidden(id: string): boolean {
  return prefs.stored.hidden_agent_ids.includes(id)
}

export function teamHidden(id: string): boolean {
  return prefs.stored.hidden_team_ids.includes(id)
}

/** visible keeps the rows not hidden, or every row while hidden ones are shown. */
export function visible<T extends { id: string }>(rows: T[], hidden: (id: string) => boolean): T[] {
  return prefs.showHidden ? rows : rows.filter((r) => !hidden(r.id))
}
