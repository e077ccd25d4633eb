// Short messages at the bottom of the screen: what failed and why, in words.
import { reactive } from 'vue'
import { ApiError } from '../api/client'
import { i18n } from '../i18n'
import { session } from './session'

export interface Toast {
  id: number
  text: string
  kind: 'error' | 'info'
}

export const toasts = reactive<Toast[]>([])
let next = 1

export function toast(text: string, kind: Toast['kind'] = 'info'): void {
  const id = next++
  toasts.push({ id, text, kind })
  setTimeout(() => dismiss(id), kind === 'error' ? 7000 : 4000)
}

export function dismiss(id: number): void {
  const i = toasts.findIndex((t) => t.id === id)
  if (i >= 0) toasts.splice(i, 1)
}

/** errorText words an error by its code, in the user's language. */
export function errorText(e: unknown): string {
  const t = i18n.global.t
  const te = i18n.global.te
  if (e instanceof ApiError) {
    const key = `errors.${e.code}`
    if (e.code === 'conversation_locked') return t('errors.conversation_locked', { seconds: e.retryAfter })
    // A "reason" detail names the case of a generic code (a 409 conflict
    // refusing to remove the last admin): say that case when we can.
    const reason = e.details.reason
    if (typeof reason === 'string' && te(`errors.${reason}`)) return t(`errors.${reason}`)
    if (te(key)) return t(key)
    return e.message || t('errors.unknown')
  }
  return t('errors.unknown')
}

/** fail shows an error toast (a 401 needs none: the login page says it). */
export function fail(e: unknown): void {
  if (e instanceof ApiError && e.status === 401) return
  toast(errorText(e), 'error')
}

/**
 * fieldError is the field an API error points at (details.field) and what
 * to say next to it, or null when it names none. A taken email is a
 * conflict on field email. own words a form's fields its own way: by field
 * name, and "taken" for a conflict (a tag's name, not a user's email).
 */
export function fieldError(e: unknown, own: Record<string, string> = {}): { field: string; text: string } | null {
  if (!(e instanceof ApiError) || typeof e.details.field !== 'string') return null
  const { t, te } = i18n.global
  const field = e.details.field
  if (e.code === 'conflict') return { field, text: own.taken ?? t('fields.taken') }
  if (own[field]) return { field, text: own[field] }
  const key = `fields.${field}`
  return { field, text: te(key) ? t(key, { n: session.passwordMin }) : e.message }
}
