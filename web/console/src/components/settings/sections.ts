// The settings sections, in the order of the left nav. A new section is one
// entry here (and its component): the router and the nav read this list.
// Sections are loaded when first opened, so the desk's first load does not
// carry the settings.
import type { Component } from 'vue'
import type { MessageSchema } from '../../i18n/en'

export interface SettingsSection {
  /** path under /settings. */
  path: string
  /** route name. */
  route: string
  /** the nav's label: a key of settings.nav. */
  label: keyof MessageSchema['settings']['nav']
  component: () => Promise<Component>
}

export const sections: SettingsSection[] = [
  { path: 'users', route: 'settings-users', label: 'users', component: () => import('./UsersSettings.vue') },
  { path: 'teams', route: 'settings-teams', label: 'teams', component: () => import('./TeamsSettings.vue') },
  { path: 'bots', route: 'settings-bots', label: 'bots', component: () => import('./BotsSettings.vue') },
  { path: 'reasons', route: 'settings-reasons', label: 'reasons', component: () => import('./ReasonsSettings.vue') },
  { path: 'tags', route: 'settings-tags', label: 'tags', component: () => import('./TagsSettings.vue') },
]
