// The settings sections, in the order of the left nav. A new section is one
// entry here (and its component): the router and the nav read this list.
// Sections are loaded when first opened, so the desk's first load does not
// carry the settings.
import type { Component } from 'vue'
import type { MessageSchema } from '../../i18n/en'

/** The top-level i18n blocks with a title: a section may keep its texts in one. */
type OwnBlock = { [K in keyof MessageSchema]: MessageSchema[K] extends { title: string } ? K : never }[keyof MessageSchema]

export interface SettingsSection {
  /** path under /settings. */
  path: string
  /** route name. */
  route: string
  /** the nav's label: a key of settings.nav, or the title of the section's own i18n block. */
  label: keyof MessageSchema['settings']['nav'] | `${OwnBlock}.title`
  /** adminOnly: the API answers the section to admins alone, so supervisors don't get it. */
  adminOnly?: boolean
  /** everyone: agents open it too (the API lets every user keep their own canned replies). */
  everyone?: boolean
  component: () => Promise<Component>
}

export const sections: SettingsSection[] = [
  { path: 'users', route: 'settings-users', label: 'users', component: () => import('./UsersSettings.vue') },
  { path: 'teams', route: 'settings-teams', label: 'teams', component: () => import('./TeamsSettings.vue') },
  { path: 'bots', route: 'settings-bots', label: 'bots', component: () => import('./BotsSettings.vue') },
  { path: 'reasons', route: 'settings-reasons', label: 'reasons', component: () => import('./ReasonsSettings.vue') },
  { path: 'tags', route: 'settings-tags', label: 'tags', component: () => import('./TagsSettings.vue') },
  { path: 'channels', route: 'settings-channels', label: 'channelsSettings.title', component: () => import('./ChannelsSettings.vue') },
  { path: 'templates', route: 'settings-templates', label: 'waTemplates.title', component: () => import('./TemplatesSettings.vue') },
  { path: 'canned', route: 'settings-canned', label: 'cannedSettings.title', everyone: true, component: () => import('./CannedSettings.vue') },
  { path: 'calls', route: 'settings-calls', label: 'callSettings.title', adminOnly: true, component: () => import('./CallSettings.vue') },
  { path: 'tokens', route: 'settings-tokens', label: 'settingsTokens.title', adminOnly: true, component: () => import('./TokensSettings.vue') },
]

/** labelKey is the i18n key of a section's nav label. */
export function labelKey(s: SettingsSection): string {
  return s.label.includes('.') ? s.label : `settings.nav.${s.label}`
}
