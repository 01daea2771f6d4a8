import { isAxiosError, type AxiosInstance } from 'axios'
import type { AuthClient } from 'axios-reauth'
import { bearerTail, requestIdOf, tail, tokenEndpointAnswer } from './format'
import type { Timeline } from './timeline'

/**
 * Puts every request of `api` on the timeline. Call it BEFORE `auth.attach(api)`: axios runs
 * request interceptors in reverse order of installation, so this one runs after the library's
 * and sees the Authorization header it set; response interceptors run in installation order,
 * so this one sees each raw 401 before the library turns it into a refresh and a replay.
 */
export function watchRequests(api: AxiosInstance, auth: AuthClient, timeline: Timeline): void {
  const refused = new Set<string>()
  api.interceptors.request.use(
    (config) => {
      const id = requestIdOf(config.headers)
      if (refused.has(id)) timeline.issued(id, 'replayed', `replayed with ${bearerTail(config.headers)}`)
      // A request issued mid-refresh waits; the library stamps its token only when it leaves.
      else if (auth.status === 'refreshing') timeline.issued(id, 'held', 'held: issued while a refresh runs')
      else if (auth.status === 'reauthenticating') timeline.issued(id, 'held', 'held: issued while the user signs in again')
      else timeline.issued(id, 'sent', `sent with ${bearerTail(config.headers)}`)
      return config
    },
    undefined,
    { synchronous: true },
  )
  api.interceptors.response.use(
    (response) => {
      const id = requestIdOf(response.config.headers)
      refused.delete(id)
      timeline.succeeded(id, `${response.status}, sent with ${bearerTail(response.config.headers)}`)
      return response
    },
    (error: unknown) => {
      if (isAxiosError(error) && error.response?.status === 401 && error.config) {
        const id = requestIdOf(error.config.headers)
        refused.add(id)
        const body = error.response.data as { error_description?: string; error?: string } | undefined
        timeline.unauthorized(id, `401: ${body?.error_description ?? body?.error ?? 'unauthorized'}`)
      }
      throw error
    },
  )
}

/** Puts the session's own events on the refresh and status lanes. */
export function watchSession(auth: AuthClient, timeline: Timeline): () => void {
  // A refresh can also end without its own success or failure event: tokens from another tab or
  // a login replace it, or a sign-out cancels it. The status leaving `refreshing` closes it then.
  let open: number | undefined
  const close = (ok: boolean, detail: string) => {
    open = undefined
    timeline.refreshFinished(ok, detail)
  }
  const offs = [
    auth.on('status', (status) => {
      timeline.statusChanged(status)
      if (status === 'refreshing' || open === undefined) return
      if (status === 'reauthenticating') return close(false, `refresh #${open} refused: the user signs in again, requests wait`)
      const tokens = auth.getTokens()
      if (tokens) close(true, `refresh #${open} ended: another tab (or a login) supplied new tokens ${tail(tokens.accessToken)}`)
      else close(false, `refresh #${open} ended: signed out`)
    }),
    auth.on('refresh:start', ({ attempt }) => {
      open = attempt
      timeline.refreshStarted(`refresh #${attempt} started`)
    }),
    auth.on('refresh:success', ({ attempt }) => close(true, `refresh #${attempt} finished: new token ${tail(auth.getTokens()?.accessToken)}`)),
    auth.on('refresh:failure', ({ attempt, error }) => {
      const answer = tokenEndpointAnswer(error)
      close(false, `refresh #${attempt} failed: ${error.code}${answer ? `, token endpoint said ${answer}` : ''}`)
    }),
    auth.on('loginRequired', ({ reason }) => timeline.sessionEnded(`session ended (${reason}): onLoginRequired`)),
  ]
  return () => offs.forEach((off) => off())
}
