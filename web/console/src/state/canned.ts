// The canned-reply picker of the composer: what the search found for the
// "/shortcut" being typed, which option is active, and the ARIA the
// composer's text box carries while it is open.
import { reactive } from 'vue'
import { api } from '../api/client'
import type { CannedReply } from '../api/types'
import type { SlashToken } from '../lib/canned'

export const CANNED_LIST_ID = 'canned-replies'

export const picker = reactive({
  token: null as SlashToken | null,
  items: [] as CannedReply[],
  active: 0,
  /** dismissed: Escape closed the list for the "/" at this position. */
  dismissed: -1,
})

/** open: a "/" is being typed and the search found something. */
export function pickerOpen(): boolean {
  return !!picker.token && picker.token.start !== picker.dismissed && picker.items.length > 0
}

export function optionId(i: number): string {
  return `${CANNED_LIST_ID}-${i}`
}

let asked = 0

/** search asks for the bot's and the user's replies matching q; a late answer to an older query is dropped. */
export async function search(botID: string, q: string): Promise<void> {
  const n = ++asked
  const res = await api.get('/api/v1/canned-replies', { query: { bot: botID, q } })
  if (n !== asked) return
  picker.items = res.items
  picker.active = 0
}

/** close forgets the search (the token went away or a reply was inserted). */
export function close(): void {
  asked++
  picker.token = null
  picker.items = []
  picker.active = 0
}

/**
 * comboboxAttrs is the autocomplete state of the composer's text box. It
 * stays a (multi-line) textbox, as the autocomplete pattern of editors
 * does: ARIA's combobox is a one-line input, and the text box keeps its
 * role and name for everyone who finds it by them.
 */
export function comboboxAttrs(): Record<string, string | undefined> {
  const open = pickerOpen()
  return {
    'aria-autocomplete': 'list',
    'aria-controls': open ? CANNED_LIST_ID : undefined,
    'aria-activedescendant': open ? optionId(picker.active) : undefined,
  }
}
