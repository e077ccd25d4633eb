// The panel and the loader on the host page talk by postMessage: the loader
// says who the visitor is (for identity verification) and when the panel
// opens or closes; the panel asks to be closed, reports its colour and the
// unread count for the bubble. Nothing secret goes to the parent.

/** User is what the site says of a logged-in visitor. */
export interface User {
  identifier?: string
  identifier_hash?: string
  name?: string
  email?: string
}

export type FromParent =
  | { type: 'relevo:init'; user?: User; open?: boolean }
  | { type: 'relevo:open' }
  | { type: 'relevo:closed' }

export type ToParent =
  | { type: 'relevo:ready'; color: string; title: string }
  | { type: 'relevo:unread'; count: number }
  | { type: 'relevo:close' }

/** embedded is false when the panel is opened on its own (a full page). */
export const embedded = window.parent !== window

export function toParent(msg: ToParent): void {
  if (embedded) window.parent.postMessage(msg, '*')
}

export function onParent(fn: (msg: FromParent) => void): void {
  window.addEventListener('message', (e: MessageEvent) => {
    if (!embedded || e.source !== window.parent) return
    const d = e.data as { type?: unknown } | null
    if (d && typeof d.type === 'string' && d.type.startsWith('relevo:')) fn(d as FromParent)
  })
}
