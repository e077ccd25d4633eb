// Canned replies in the composer: finding the "/shortcut" being typed and
// filling a reply's variables. Pure functions (no Vue, no requests), so
// what an agent is about to send follows from what is on screen.

/** What a reply's variables are filled from; absent values stay as typed. */
export interface CannedContext {
  contactName?: string
  agentName?: string
  protocol?: string | null
  /** the contact's attributes ({contact.<attribute>}) */
  attributes?: Record<string, string>
}

const VARIABLE = /\{([A-Za-z0-9_.-]+)\}/g

/**
 * fillVariables replaces {contact.name}, {agent.name}, {protocol} and
 * {contact.<attribute>} with their values. An unknown variable, or one
 * without a value here, stays as typed: the agent sees it in the composer
 * before anything is sent (the server refuses unknown ones at save time).
 */
export function fillVariables(text: string, ctx: CannedContext): string {
  return text.replace(VARIABLE, (whole, name: string) => {
    let v: string | null | undefined
    if (name === 'contact.name') v = ctx.contactName
    else if (name === 'agent.name') v = ctx.agentName
    else if (name === 'protocol') v = ctx.protocol
    else if (name.startsWith('contact.')) v = ctx.attributes?.[name.slice('contact.'.length)]
    return v ? v : whole
  })
}

/** needsAttributes: the text uses a contact attribute (worth reading the contact for). */
export function needsAttributes(text: string): boolean {
  for (const m of text.matchAll(VARIABLE)) {
    const name = m[1]!
    if (name.startsWith('contact.') && name !== 'contact.name') return true
  }
  return false
}

/** The "/shortcut" being typed: where it starts (the slash) and ends (the caret), and the query after "/". */
export interface SlashToken {
  start: number
  end: number
  query: string
}

/**
 * slashToken finds a "/" typed at the start of the text or after a space,
 * followed by shortcut characters up to the caret ("see /ref|" → "ref");
 * null when the caret is elsewhere ("and/or" is not one).
 */
export function slashToken(text: string, caret: number): SlashToken | null {
  let i = caret
  while (i > 0 && /[a-z0-9_-]/.test(text[i - 1]!)) i--
  if (i === 0 || text[i - 1] !== '/') return null
  const slash = i - 1
  if (slash > 0 && !/\s/.test(text[slash - 1]!)) return null
  return { start: slash, end: caret, query: text.slice(i, caret) }
}

/** firstLine is what the list shows of a reply's text. */
export function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? ''
}
