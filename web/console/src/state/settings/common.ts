// What every settings section shares: who may write (the API decides; this
// only hides the buttons) and the search the lists use.
import { session } from '../session'

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
