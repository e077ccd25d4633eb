// Every word the console shows comes from here: English, Spanish and
// Brazilian Portuguese, complete (the types make a missing key a build
// error), each a folder of one file a screen (en/, es/, pt-BR/). The
// language is the user's choice, else the browser's.
import { createI18n } from 'vue-i18n'
import { en, type MessageSchema } from './en'
import { es } from './es'
import { ptBR } from './pt-BR'

export const LOCALES = ['en', 'es', 'pt-BR'] as const
export type Locale = (typeof LOCALES)[number]

const STORAGE = 'relevo.locale'

/** pickLocale chooses the saved language, else the browser's best match. */
export function pickLocale(saved: string | null, browser: readonly string[]): Locale {
  if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale
  for (const l of browser) {
    const lower = l.toLowerCase()
    if (lower.startsWith('pt')) return 'pt-BR'
    if (lower.startsWith('es')) return 'es'
    if (lower.startsWith('en')) return 'en'
  }
  return 'en'
}

function saved(): string | null {
  try {
    return localStorage.getItem(STORAGE)
  } catch {
    return null
  }
}

const initial = pickLocale(saved(), navigator.languages ?? [navigator.language])

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initial,
  fallbackLocale: 'en',
  messages: { en, es, 'pt-BR': ptBR },
})

document.documentElement.lang = initial

export function setLocale(l: Locale): void {
  i18n.global.locale.value = l
  document.documentElement.lang = l
  try {
    localStorage.setItem(STORAGE, l)
  } catch {
    // the choice lasts this visit only
  }
}
