// The visitor's session, kept per channel in localStorage so the
// conversation survives a reload. A token belongs to one identity: when the
// site says someone else is logged in (or nobody), the old one is dropped.

export interface Saved {
  token: string
  contactId: string
  identifier: string
}

const key = (channel: string) => `relevo.widget.${channel}`

export function load(channel: string, identifier: string): Saved | null {
  try {
    const s = JSON.parse(localStorage.getItem(key(channel)) ?? 'null') as Saved | null
    if (s && typeof s.token === 'string' && (s.identifier ?? '') === identifier) return s
  } catch {
    // storage blocked or corrupt: start fresh
  }
  return null
}

export function save(channel: string, s: Saved | null): void {
  try {
    if (s) localStorage.setItem(key(channel), JSON.stringify(s))
    else localStorage.removeItem(key(channel))
  } catch {
    // storage blocked: the session lasts as long as the page
  }
}
