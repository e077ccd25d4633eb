// Unsent text per conversation, kept in localStorage so a reload, a lost
// session or a crash does not lose what an agent was typing. Keys carry the
// user id: two people sharing a browser never see each other's drafts.
const PREFIX = 'relevo.draft.'

function key(userID: string, convID: string): string {
  return `${PREFIX}${userID}.${convID}`
}

export function loadDraft(userID: string, convID: string): string {
  try {
    return localStorage.getItem(key(userID, convID)) ?? ''
  } catch {
    return ''
  }
}

export function saveDraft(userID: string, convID: string, text: string): void {
  try {
    if (text) localStorage.setItem(key(userID, convID), text)
    else localStorage.removeItem(key(userID, convID))
  } catch {
    // storage full or disabled: the draft lives only in memory
  }
}
