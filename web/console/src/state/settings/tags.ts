// Settings → Tags: the labels agents put on conversations, each with an
// optional colour (a #rrggbb the API checks). New ones join the desk's
// catalog at once, so the tag picker offers them.
import { reactive } from 'vue'
import { api } from '../../api/client'
import type { Tag } from '../../api/types'
import { catalog } from '../catalog'
import { byName, search, upsert } from './common'

export interface TagDraft {
  name: string
  /** color: a #rrggbb, or empty for none. */
  color: string
}

export const tags = reactive({
  list: [] as Tag[],
  loaded: false,
  error: null as unknown,
})

export async function loadTags(): Promise<void> {
  tags.error = null
  try {
    tags.list = (await api.get('/api/v1/tags')).items
  } catch (e) {
    tags.error = e
  } finally {
    tags.loaded = true
  }
}

export function searchTags(q: string): Tag[] {
  return search(tags.list, q, (t) => [t.name, t.color ?? ''])
}

export async function createTag(d: TagDraft): Promise<Tag> {
  const t = (await api.post('/api/v1/tags', { body: d.color ? { name: d.name, color: d.color } : { name: d.name } })) as Tag
  tags.list.push(t)
  byName(tags.list)
  if (catalog.loaded) {
    catalog.tags.push(t)
    byName(catalog.tags)
  }
  return t
}

/** updateTag renames and recolours a tag (an empty colour takes it away). */
export async function updateTag(id: string, d: TagDraft): Promise<Tag> {
  const t = (await api.patch('/api/v1/tags/{id}', { path: { id }, body: { name: d.name, color: d.color } })) as Tag
  upsert(tags.list, t)
  if (catalog.loaded) upsert(catalog.tags, t)
  return t
}

/** deleteTag removes it, from every conversation too. */
export async function deleteTag(id: string): Promise<void> {
  await api.delete('/api/v1/tags/{id}', { path: { id } })
  tags.list = tags.list.filter((t) => t.id !== id)
  if (catalog.loaded) catalog.tags = catalog.tags.filter((t) => t.id !== id)
}
