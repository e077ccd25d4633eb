// Following a conversation from the monitor: the route of the follow view,
// which keeps the monitor's query (bot, tab, filters) so going back returns
// to the same view. Every monitor list (phases, teams, agents' sessions)
// opens a conversation through these.
import type { LocationQuery, RouteLocationRaw } from 'vue-router'
import { router } from '../router'

/** followRoute is where following convId lives, carrying the monitor's query. */
export function followRoute(convId: string, query: LocationQuery): RouteLocationRaw {
  return { name: 'monitor-follow', params: { convId }, query }
}

/** monitorRoute is the monitor with the query it had when a follow began. */
export function monitorRoute(query: LocationQuery): RouteLocationRaw {
  return { name: 'monitor', query }
}

/** openFollow follows convId silently: nothing is marked read for anyone. */
export function openFollow(convId: string): void {
  void router.push(followRoute(convId, router.currentRoute.value.query))
}
