// Settings → Tags: the labels agents put on conversations, each with an
// optional colour (a #rrggbb the API checks). New ones join the desk's
// catalog at once, so the tag picker offers them.
import { reactive } from 'vue'
import { api } from '../../api/client'
import type { Tag } from '../../api/types'
import { catalog } from '../catalog'
import { byName, search } from './common'

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
