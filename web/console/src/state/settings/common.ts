// What every settings section shares: who may write (the API decides; this
// only hides the buttons) and the search the lists use.
import { useId, type Ref } from 'vue'
import { session } from '../session'
import { errorText } from '../toasts'

/** canWrite: only admins change settings; supervisors read them. */
export function canWrite(): boolean {
  return session.me?.role === 'admin'
}

/** norm folds case and accents, so "jose" finds "José". */
export function norm(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/**
 * search keeps the items one of whose texts contains q (case and accents
 * ignored); all of them when q is blank.
 */
export function search<T>(list: T[], q: string, texts: (x: T) => string[]): T[] {
  const n = norm(q.trim())
  if (!n) return list
  return list.filter((x) => texts(x).some((s) => norm(s).includes(n)))
}

/** byName sorts a list in place the way the API lists it. */
export function byName<T extends { name: string }>(list: T[]): T[] {
  return list.sort((a, b) => a.name.localeCompare(b.name))
}

/** upsert replaces x in list by id, or adds it, then sorts by name. */
export function upsert<T extends { id: string; name: string }>(list: T[], x: T): void {
  const i = list.findIndex((y) => y.id === x.id)
  if (i >= 0) list[i] = x
  else list.push(x)
  byName(list)
}

/**
 * attempt runs a dialog's action (a delete, a revoke) with its busy flag
 * set and its error text cleared, then filled with what went wrong; true
 * when it succeeded.
 */
export async function attempt(busy: Ref<boolean>, error: Ref<string>, fn: () => Promise<void>): Promise<boolean> {
  busy.value = true
  error.value = ''
  try {
    await fn()
    return true
  } catch (e) {
    error.value = errorText(e)
    return false
  } finally {
    busy.value = false
  }
}

/**
 * fieldIds names a form's parts for ARIA: fid(field) is a field's id
 * stem, describe(field, hint) the aria-describedby of its hint and its
 * error (from errors). Call it in a component's setup (useId).
 */
export function fieldIds(errors: Ref<Record<string, string>>) {
  const id = useId()
  const fid = (f: string) => `${id}-${f}`
  const describe = (f: string, hint = false) => [hint ? fid(f) + '-hint' : '', errors.value[f] ? fid(f) + '-error' : ''].filter(Boolean).join(' ') || undefined
  return { fid, describe }
}
