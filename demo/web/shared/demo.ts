import axios, { getAdapter, type AxiosAdapter, type AxiosInstance } from 'axios'
import { createAuthClient, webStorage, type AuthClient, type LoginRequiredEvent, type LoginRequiredReason } from 'axios-reauth'
import { diagnose } from 'axios-reauth/diagnose'
import { bearerTail, describeError, requestIdOf } from './format'
import { createLoginDialog, type LoginDialog } from './login-dialog'
import { createServerControl, VISITOR_HEADER, type Lever, type ServerCounters } from './server-control'
import { createTimeline, type Timeline } from './timeline'
import { watchRequests, watchSession } from './watch'

/** A request within this many seconds of its token's expiry waits for a refresh first. */
export const LEEWAY_SECONDS = 2
/** A refresh that has not answered by then fails (transiently): what "hang" shows. */
export const REFRESH_TIMEOUT_MS = 8000
/** `isExpiring` (the banner) turns on this long before expiry. */
export const EXPIRING_WITHIN_MS = 5000

export interface DemoState {
  /** How often `onLoginRequired` was called on this page. */
  readonly loginRequiredCalls: number
  readonly lastLoginReason: LoginRequiredReason | undefined
  /** What the next refreshes will do, as far as this tab knows (the server queues them). */
  readonly armed: readonly string[]
  readonly slowRefresh: boolean
  /** The auth API's counters, polled while someone watches. */
  readonly server: ServerCounters | undefined
  /** What the last button did, in a sentence. */
  readonly note: string
}

export interface DemoOptions {
  /** Where the auth API is. @default the page's origin */
  baseURL?: string
  /** Called once per ended session, after the counter went up: route to the login page here. */
  onLoginRequired?: (event: LoginRequiredEvent) => void
  /** The "login dialog" mode: a revoked session asks the user to sign in again in a dialog (`reauthenticate`), and nothing is lost. */
  dialog?: boolean
}

export interface Demo {
  readonly auth: AuthClient
  readonly api: AxiosInstance
  readonly timeline: Timeline
  /** The dialog of the "login dialog" mode; `undefined` when the mode is off. */
  readonly loginDialog: LoginDialog | undefined
  subscribe(listener: () => void): () => void
  getState(): DemoState
  /** Sends `count` GET requests at once, each on its own lane. */
  fire(count: number): Promise<void>
  /** Pulls one of the server's levers. */
  pull(lever: Lever): Promise<void>
  /** `POST /auth/login`, then `auth.setTokens()`. */
  login(username: string, password: string): Promise<void>
  /** The server's clock as the client estimates it, in epoch ms. */
  serverNow(): number
}

const TOKEN_KEY = 'axios-reauth-demo.tokens'

/**
 * Wires one page: an auth client, an axios instance watched by the timeline and then attached,
 * and the server's levers. React and Vue pages share it and differ only in how they render.
 */
export function createDemo(options: DemoOptions = {}): Demo {
  const baseURL = options.baseURL ?? location.origin
  const timeline = createTimeline()
  // Each page load is a visitor of its own: the server counts its requests apart from others'.
  const visitor = crypto.randomUUID()
  const visitorHeaders = { [VISITOR_HEADER]: visitor }
  const server = createServerControl(baseURL, visitor)
  const listeners = new Set<() => void>()
  let state: DemoState = { loginRequiredCalls: 0, lastLoginReason: undefined, armed: [], slowRefresh: false, server: undefined, note: '' }
  const update = (change: Partial<DemoState>) => {
    state = { ...state, ...change }
    for (const listener of [...listeners]) listener()
  }

  // localStorage: a second tab starts signed in with the same session, and since the storage is
  // shared, the library coordinates the tabs (webStorage carries crossTab()): one refresh at a
  // time under a Web Lock, new tokens and sign-outs broadcast to every tab.
  const storage = webStorage(() => localStorage, TOKEN_KEY)
  const signIn = async (username: string, password: string) => {
    const { data } = await axios.post(`${baseURL}/auth/login`, { username, password }, { headers: visitorHeaders })
    return { accessToken: data.access_token, refreshToken: data.refresh_token }
  }
  const loginDialog = options.dialog ? createLoginDialog(signIn) : undefined
  const auth = createAuthClient({
    reauthenticate: loginDialog?.reauthenticate,
    // Plain axios, not the attached instance; the signal lets the library abort a stuck refresh.
    refresh: async ({ refreshToken, signal }) => {
      const { data } = await axios.post(`${baseURL}/auth/refresh`, { refreshToken }, { signal, headers: visitorHeaders })
      return { accessToken: data.access_token, refreshToken: data.refresh_token, expiresIn: data.expires_in }
    },
    storage,
    // The diagnosis panel explains each 401: an opt-in import, so apps that never diagnose do not ship it.
    diagnose,
    leewaySeconds: LEEWAY_SECONDS,
    refreshTimeoutMs: REFRESH_TIMEOUT_MS,
    onLoginRequired(event) {
      update({ loginRequiredCalls: state.loginRequiredCalls + 1, lastLoginReason: event.reason })
      options.onLoginRequired?.(event)
    },
  })

  // The adapter runs when a request really leaves, which for a held request is after the refresh.
  const send = getAdapter(axios.defaults.adapter)
  const adapter: AxiosAdapter = (config) => {
    timeline.departed(requestIdOf(config.headers), `left after the refresh with ${bearerTail(config.headers)}`)
    return send(config)
  }
  const api = axios.create({ baseURL, adapter, headers: visitorHeaders })
  watchRequests(api, auth, timeline) // before attach: see watchRequests()
  auth.attach(api)
  watchSession(auth, timeline)
  auth.on('refresh:start', () => {
    if (state.armed.length > 0) update({ armed: state.armed.slice(1) })
  })

  // Counters are polled while somebody shows them, and right after each run and each lever.
  let polling: ReturnType<typeof setInterval> | undefined
  const poll = () => {
    server.counters().then((counters) => update({ server: counters }), () => {})
  }
  let wasLive = false
  timeline.subscribe(() => {
    const isLive = timeline.getSnapshot().run?.isLive ?? false
    if (wasLive && !isLive) poll()
    wasLive = isLive
  })

  // Tells this tab's requests apart from another tab's in the server's request ids.
  const tabId = Math.random().toString(36).slice(2, 6)
  let sequence = 0

  return {
    auth,
    api,
    timeline,
    loginDialog,
    subscribe(listener) {
      listeners.add(listener)
      if (listeners.size === 1) {
        poll()
        polling = setInterval(poll, 2000)
      }
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0) clearInterval(polling)
      }
    },
    getState: () => state,
    async fire(count) {
      timeline.beginRun(auth.status)
      const requests = Array.from({ length: count }, () => {
        const n = ++sequence
        const id = `${tabId}-${n}`
        return api.get(`/api/items/${n}`, { headers: { 'x-request-id': id } }).then(
          () => undefined,
          (error: unknown) => timeline.failed(id, `rejected with ${describeError(error)}`),
        )
      })
      await Promise.all(requests)
    },
    async pull(lever) {
      const outcome = await server.pull(lever, state.slowRefresh)
      update({
        note: outcome.note,
        armed: lever === 'reset' ? [] : outcome.armed ? [...state.armed, outcome.armed] : state.armed,
        slowRefresh: lever === 'reset' ? false : lever === 'slow' ? !state.slowRefresh : state.slowRefresh,
      })
      poll()
    },
    async login(username, password) {
      auth.setTokens(await signIn(username, password))
      update({ note: `Logged in as ${username}.`, lastLoginReason: undefined })
      poll()
    },
    serverNow: () => auth.session.serverClock.now(),
  }
}
