// Routes: the login page, the agent dashboard (the user's bots), the
// desk of one bot (or all of them) with an optional open conversation, and
// the supervisor's monitor.
import { createRouter, createWebHistory } from 'vue-router'
import { session, loadMe, expire, supervises } from './state/session'
import { setUnauthenticatedHandler } from './api/client'
import LoginView from './views/LoginView.vue'
import DashboardView from './views/DashboardView.vue'
import DeskView from './views/DeskView.vue'
import MonitorView from './views/MonitorView.vue'
import QueuesView from './views/QueuesView.vue'

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    { path: '/', name: 'dashboard', component: DashboardView },
    { path: '/bots/:botId/:convId?', name: 'desk', component: DeskView },
    { path: '/monitor', name: 'monitor', component: MonitorView, meta: { supervisor: true } },
    { path: '/queues', name: 'queues', component: QueuesView, meta: { supervisor: true } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
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
  // The monitor is for supervisors and admins; the API refuses the others too.
  if (to.meta.supervisor && !supervises()) return { name: 'dashboard' }
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
