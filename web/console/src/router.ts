// Routes: the login page, the agent dashboard (the user's bots), the
// desk of one bot (or all of them) with an optional open conversation, and
// the supervisor's monitor (and a conversation followed from it), the
// reports, the settings (sections in components/settings/sections.ts) and,
// while the server has no admin, the one-time setup page.
import { createRouter, createWebHistory } from 'vue-router'
import { session, loadMe, loadServer, expire, supervises } from './state/session'
import { setUnauthenticatedHandler } from './api/client'
import LoginView from './views/LoginView.vue'
import DashboardView from './views/DashboardView.vue'
import DeskView from './views/DeskView.vue'
import { sections } from './components/settings/sections'
// The agent's desk is in the first load; the floor, the reports (and the
// chart library they alone use), the settings and the one-time setup page
// are chunks of their own, fetched when first opened.
const MonitorView = () => import('./views/MonitorView.vue')
const FollowView = () => import('./views/FollowView.vue')
const QueuesView = () => import('./views/QueuesView.vue')
const ReportsView = () => import('./views/ReportsView.vue')
const SettingsView = () => import('./views/SettingsView.vue')
const SetupView = () => import('./views/SetupView.vue')

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    { path: '/setup', name: 'setup', component: SetupView, meta: { public: true } },
    { path: '/', name: 'dashboard', component: DashboardView },
    { path: '/bots/:botId/:convId?', name: 'desk', component: DeskView },
    { path: '/monitor', name: 'monitor', component: MonitorView, meta: { supervisor: true } },
    { path: '/reports', name: 'reports', component: ReportsView, meta: { supervisor: true } },
    { path: '/monitor/follow/:convId', name: 'monitor-follow', component: FollowView, meta: { supervisor: true } },
    {
      path: '/settings',
      component: SettingsView,
      children: [
        { path: '', name: 'settings', redirect: { name: sections[0].route } },
        ...sections.map((s) => ({ path: s.path, name: s.route, component: s.component, meta: { admin: !!s.adminOnly, supervisor: !s.everyone } })),
        { path: 'bots/:id/flow', name: 'settings-flow', component: () => import('./components/settings/flow/FlowEditor.vue') },
        { path: 'bots/:id/webhook', name: 'settings-bot-webhook', component: () => import('./components/settings/webhook/BotWebhook.vue') },
      ],
    },
    { path: '/queues', name: 'queues', component: QueuesView, meta: { supervisor: true } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  // A server without an admin has one way in, the setup page; once an
  // admin exists the page is gone.
  if (!session.serverRead) await loadServer()
  if (session.needsSetup) return to.name === 'setup' ? true : { name: 'setup' }
  // (To the login page unless someone is known to be logged in: asking
  // would answer a visitor with a 401, which browsers log as an error.)
  if (to.name === 'setup') return session.me ? { name: 'dashboard' } : { name: 'login' }
  // The login page does not ask who is logged in: the answer for a
  // visitor is a 401, which browsers log as an error.
  if (!session.checked && !to.meta.public) {
    try {
      await loadMe()
    } catch {
      // the server is unreachable: the login page says so when tried
    }
  }
  if (!to.meta.public && !session.me) {
    return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  }
  // The monitor, the reports and the settings are for supervisors and
  // admins; the API refuses the others too.
  if (to.meta.supervisor && !supervises()) return { name: 'dashboard' }
  // An admins' settings section (the API answers it to admins alone).
  if (to.meta.admin && session.me?.role !== 'admin') return { name: 'settings' }
  return true
})

// A 401 anywhere means the session ended: back to the login page, which
// returns here afterwards. Drafts are already in localStorage.
setUnauthenticatedHandler(() => {
  if (!session.me) return
  expire()
  const here = router.currentRoute.value
  if (here.name !== 'login') void router.push({ name: 'login', query: { next: here.fullPath, expired: '1' } })
})
