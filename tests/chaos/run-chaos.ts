import { Agent } from 'node:http'
import { getEventListeners, setMaxListeners } from 'node:events'
import axios, { getAdapter, type AxiosAdapter, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios'
import { createAuthClient, type AuthClient, type LoginRequiredEvent, type RefreshContext, type RefreshResult, type SessionStatus } from 'axios-reauth'
import { diagnose } from 'axios-reauth/diagnose'
import { startFaultServer, type FaultServerStats } from '../helpers/fault-server'
import { createCountingClock } from './counting-clock'
import { LEEWAY_MS, type RequestPlan, type RunPlan } from './plan'

export const REFRESH_TIMEOUT_MS = 200
/**
 * A run whose requests have not all settled once nothing at all happened (no send, answer,
 * refresh or settlement) for this many turns of QUIET_TURN_MS has lost one. Counted in turns,
 * not read off the clock: after an event-loop stall the first timer may fire before the I/O
 * that queued up meanwhile, and a busy machine stretches a run many times over (a plan's 110 ms
 * was seen to come at 2 s), which must not pass for a lost request.
 */
const QUIET_TURNS = 30
const QUIET_TURN_MS = 100
/** The longest one run may take, whatever happens in it. */
export const RUN_CAP_MS = 30_000

/** How one refresh call ended, seen from the refresh function. */
export type RefreshCallOutcome = 'pending' | 'ok' | 'fatal' | 'transient' | 'timed-out' | 'superseded'

export interface RefreshCall {
  presented: string | undefined
  /** When the library called the refresh function, on the run's clock (see {@link Observation.delivered}). */
  at: number
  /** What the refresh function saw happen to its HTTP call. */
  outcome: RefreshCallOutcome
  /** The error code the library reported for this attempt (`refresh:failure`), if it failed. */
  reported?: string
}

export interface Settlement {
  count: number
  fulfilled?: boolean
  value?: unknown
  error?: unknown
  /** `abort()` was called before the request settled. */
  abortedFirst: boolean
  /** When it settled, in epoch ms. */
  at?: number
}

/** Everything a run observed; the invariants are checked on it afterwards. */
export interface Observation {
  settlements: Settlement[]
  /** Problems noticed the moment they happened (a stale token at send, two refreshes in flight). */
  problems: string[]
  /** By request id: sends seen by the adapter, i.e. the moment a request leaves. */
  sends: Map<string, number>
  refreshCalls: RefreshCall[]
  /**
   * By refresh token: when a successor of it first reached the library (the library took the
   * tokens that rotated it), on the run's clock: `performance.now()`, which the fault server
   * reads too. Presenting the token after that moment is the library's doing; before it, the
   * library could not know the token was spent.
   */
  delivered: Map<string, number>
  loginRequired: LoginRequiredEvent[]
  /** The initial login plus every sign-in since (after onLoginRequired, a sign-out, or from elsewhere). */
  sessions: number
  /** Every access and refresh token the client was given, to look for in error messages, with a short name for the trace. */
  tokens: Map<string, string>
  server: FaultServerStats
  /** When the last request settled, in epoch ms. */
  settledAt: number
  /** When the app called clearTokens(), in epoch ms. */
  signedOutAt: number | undefined
  /** How the app's own `refresh()` call settled: `pending` if it never did. */
  manualRefresh: { settled: 'pending' | 'fulfilled' | 'rejected'; error?: unknown } | undefined
  /** Status once everything settled and any abandoned refresh had time to end. */
  finalStatus: SessionStatus
  /** Library timers still pending at that point. */
  pendingTimers: number
  /** Abort listeners left on the run's long-lived signal and on the requests' own signals. */
  leftoverListeners: number
  serverIdle: boolean
  /** Everything the library logged (`debug: true`: a diagnosis of every 401). */
  logs: string[]
  unhandled: unknown[]
  trace: string[]
}

/** Unhandled rejections reach every run in progress (runs share a process, so this may blame a neighbour). */
export const runsInProgress = new Set<Observation>()

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Waits until `done()` holds, checking every 5 ms, for at most `ms` worth of checks: each check
 * is a turn of the event loop, so a stalled machine gets as many turns as an idle one.
 */
async function waitUntil(done: () => boolean, ms: number): Promise<boolean> {
  for (let turns = Math.ceil(ms / 5); !done(); turns--) {
    if (turns <= 0) return false
    await sleep(5)
  }
  return true
}

/** Resolves once `settled` does, or once `activity()` stayed the same for QUIET_TURNS turns, or at RUN_CAP_MS. */
async function untilSettledOrQuiet(settled: Promise<void>, activity: () => number, startedAt: number): Promise<void> {
  let done = false
  void settled.then(() => (done = true))
  let seen = activity()
  for (let quiet = 0; !done && quiet < QUIET_TURNS && Date.now() - startedAt < RUN_CAP_MS; ) {
    await Promise.race([settled, sleep(QUIET_TURN_MS)])
    const now = activity()
    quiet = now === seen ? quiet + 1 : 0
    seen = now
  }
}

/**
 * Runs one plan: a fresh fault server and foreign origin, one fresh auth client attached to one
 * axios instance, the planned requests, aborts and expiries on real timers, and a sign-in again
 * after each onLoginRequired. Returns what happened once every request settled (or the deadline
 * passed) and the server has gone idle.
 */
export async function runChaos(plan: RunPlan): Promise<Observation> {
  const started = Date.now()
  const trace: string[] = []
  const log = (line: string) => trace.push(`${String(Date.now() - started).padStart(4)} ms  ${line}`)
  const profile = plan.accessLifetimeMs === undefined ? {} : { accessLifetimeMs: plan.accessLifetimeMs }
  const server = await startFaultServer(plan.seed, profile, log, () => performance.now())
  const agent = new Agent({ keepAlive: true })
  const obs: Observation = {
    settlements: plan.requests.map(() => ({ count: 0, abortedFirst: false })),
    problems: [],
    sends: new Map(),
    refreshCalls: [],
    delivered: new Map(),
    loginRequired: [],
    sessions: 1,
    tokens: new Map(),
    server: server.stats,
    settledAt: 0,
    signedOutAt: undefined,
    manualRefresh: undefined,
    finalStatus: 'authenticated',
    pendingTimers: 0,
    leftoverListeners: 0,
    serverIdle: false,
    logs: [],
    unhandled: [],
    trace,
  }
  /** Names a pair of tokens a1/r1, a2/r2… in the order the client received them; returns the name. */
  const remember = (accessToken: string, refreshToken: string) => {
    const n = obs.tokens.size / 2 + 1
    obs.tokens.set(accessToken, `a${n}`).set(refreshToken, `r${n}`)
    return `a${n}`
  }
  const nameOf = (token: string | undefined) => (token === undefined ? 'none' : obs.tokens.get(token.replace(/^Bearer /, '')) ?? 'an unknown token')
  runsInProgress.add(obs)
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let finished = false
  /** Runs `fn` in `ms`, unless the run has finished by then: nothing new starts while it is checked. */
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (!finished) fn()
    }, ms)
    timers.add(timer)
  }
  let auth: AuthClient | undefined

  // The adapter is where a request leaves: check the token it carries at that very moment.
  const http = getAdapter('http')
  const adapter: AxiosAdapter = (config: InternalAxiosRequestConfig) => {
    const id = config.headers.get('x-request-id')
    const header = config.headers.get('Authorization')
    const authorization = typeof header === 'string' ? header : undefined
    if (typeof id !== 'string') {
      if (authorization !== undefined) obs.problems.push('[token-origin] the refresh call carried an Authorization header')
      return http(config)
    }
    const attempt = (obs.sends.get(id) ?? 0) + 1
    obs.sends.set(id, attempt)
    const { foreign, skipAuth } = plan.requests[Number(id) - 1]!
    log(`send #${id}${foreign ? ' (foreign)' : ''} attempt ${attempt} with ${nameOf(authorization)}`)
    if (foreign) {
      if (authorization !== undefined) obs.problems.push(`[token-origin] request #${id} left for the foreign origin with a token`)
    } else if (skipAuth) {
      if (authorization !== undefined) obs.problems.push(`[token-origin] request #${id} has skipAuth but left with a token`)
    } else {
      const newest = auth?.getTokens()?.accessToken
      const expected = newest === undefined ? undefined : `Bearer ${newest}`
      if (authorization !== expected) obs.problems.push(`[fresh-token] request #${id} (send ${attempt}) left with a token other than the newest`)
    }
    return http(config)
  }

  const client = axios.create({ baseURL: `${server.url}/api`, adapter, httpAgent: agent })
  const refreshHttp: AxiosInstance = plan.refreshVia === 'attached' ? client : axios.create({ adapter, httpAgent: agent })
  let inFlight: number | undefined
  /** By refresh token received from the server: the refresh token it rotated. */
  const successorOf = new Map<string, string>()

  const refresh = async ({ refreshToken, signal }: RefreshContext): Promise<RefreshResult> => {
    const n = obs.refreshCalls.length + 1
    const call: RefreshCall = { presented: refreshToken, at: performance.now(), outcome: 'pending' }
    obs.refreshCalls.push(call)
    log(`refresh #${n} called with ${nameOf(refreshToken)}`)
    if (inFlight !== undefined) obs.problems.push(`[single-flight] refresh #${n} started while refresh #${inFlight} was in flight`)
    inFlight = n
    // For the library, a call is over once its signal aborts (timeout or superseded), even if the socket lingers.
    const end = () => {
      if (inFlight === n) inFlight = undefined
    }
    signal.addEventListener('abort', end, { once: true })
    const abandoned = () => (signal.reason as Error | undefined)?.name === 'RefreshTimeoutError' ? 'timed-out' : 'superseded'
    try {
      // Called before any await: the library must recognise it as the refresh call.
      const headers = { 'x-refresh-call': String(n) }
      const { data } = await refreshHttp.post<{ access_token: string; refresh_token: string; expires_at?: number }>(`${server.url}/auth/refresh`, { refreshToken }, { signal, headers })
      const name = remember(data.access_token, data.refresh_token)
      // Whether the library takes these tokens (late ones too, if nothing newer came) is seen on its `tokens` event.
      if (refreshToken !== undefined) successorOf.set(data.refresh_token, refreshToken)
      call.outcome = signal.aborted ? abandoned() : 'ok'
      log(`refresh #${n} ${call.outcome}: ${name}`)
      return { accessToken: data.access_token, refreshToken: data.refresh_token, expiresAt: data.expires_at }
    } catch (error) {
      const status = axios.isAxiosError(error) ? error.response?.status : undefined
      call.outcome = signal.aborted ? abandoned() : status === 400 || status === 401 || status === 403 ? 'fatal' : 'transient'
      log(`refresh #${n} ${call.outcome}${status ? ` (${status})` : ''}`)
      throw error
    } finally {
      signal.removeEventListener('abort', end)
      end()
    }
  }

  const initial = server.login()
  log(`signed in: ${remember(initial.accessToken, initial.refreshToken)}`)
  const clock = createCountingClock()
  const signIn = (why: string) => {
    const tokens = server.login()
    obs.sessions += 1
    log(`signed in (${why}): ${remember(tokens.accessToken, tokens.refreshToken)}`)
    auth!.setTokens(tokens)
  }
  auth = createAuthClient({
    refresh,
    tokens: initial,
    clock,
    refreshTimeoutMs: REFRESH_TIMEOUT_MS,
    ...(plan.accessLifetimeMs === undefined ? {} : { leewaySeconds: LEEWAY_MS / 1000 }),
    debug: true,
    diagnose,
    logger: { debug: (...args: unknown[]) => void obs.logs.push(args.join(' ')), warn: (...args: unknown[]) => void obs.logs.push(args.join(' ')) },
    onLoginRequired(event) {
      obs.loginRequired.push(event)
      log(`onLoginRequired(${event.reason})`)
      later(plan.reloginAfterMs, () => signIn('after onLoginRequired'))
    },
  })
  auth.attach(client)
  auth.on('tokens', (tokens) => {
    const rotated = tokens === undefined ? undefined : successorOf.get(tokens.refreshToken ?? '')
    if (rotated !== undefined && !obs.delivered.has(rotated)) obs.delivered.set(rotated, performance.now())
  })
  // Without cross-tab, attempt n is the n-th call of the refresh function.
  auth.on('refresh:failure', ({ attempt, error }) => {
    const call = obs.refreshCalls[attempt - 1]
    if (call) call.reported = error.code
  })

  if (plan.signOutAt !== undefined) {
    later(plan.signOutAt, () => {
      log('the app signs out')
      obs.signedOutAt = Date.now()
      auth!.clearTokens()
      later(plan.reloginAfterMs, () => signIn('after signing out'))
    })
  }
  if (plan.loginAt !== undefined) later(plan.loginAt, () => signIn('from elsewhere'))
  if (plan.manualRefreshAt !== undefined) {
    later(plan.manualRefreshAt, () => {
      const manual: NonNullable<Observation['manualRefresh']> = { settled: 'pending' }
      obs.manualRefresh = manual
      log('the app calls refresh()')
      auth!.refresh().then(
        () => (manual.settled = 'fulfilled'),
        (error: unknown) => Object.assign(manual, { settled: 'rejected', error }),
      )
    })
  }

  for (const at of plan.expiries) {
    later(at, () => server.expire())
  }

  const longLived = new AbortController()
  setMaxListeners(1_000, longLived.signal)
  const ownSignals: AbortSignal[] = []
  let settledCount = 0
  let allSettled!: () => void
  const everySettled = new Promise<void>((resolve) => (allSettled = resolve))

  const issue = (request: RequestPlan, index: number) => {
    const settlement = obs.settlements[index]!
    const controller = request.abortAfter === undefined ? undefined : new AbortController()
    if (controller) ownSignals.push(controller.signal)
    const signal = controller?.signal ?? (request.sharedSignal ? longLived.signal : undefined)
    const url = request.foreign ? `${server.foreignUrl}/items/${request.id}` : `/items/${request.id}`
    const config = {
      headers: { 'x-request-id': request.id },
      signal,
      ...(request.replay ? {} : { replay: false }),
      ...(request.skipAuth ? { skipAuth: true } : {}),
    }
    log(`issue #${request.id}`)
    const pending = request.method === 'get' ? client.get(url, config) : client.post(url, { id: request.id, note: 'chaos' }, config)
    const settle = (fulfilled: boolean, outcome: unknown) => {
      settlement.count += 1
      settlement.at = Date.now()
      settlement.fulfilled = fulfilled
      if (fulfilled) settlement.value = outcome
      else settlement.error = outcome
      log(`#${request.id} ${fulfilled ? 'fulfilled' : `rejected: ${describeError(outcome)}`}`)
      if (settlement.count === 1 && ++settledCount === plan.requests.length) allSettled()
    }
    pending.then(
      (response) => settle(true, response.data),
      (error: unknown) => settle(false, error),
    )
    if (controller) {
      later(request.abortAfter!, () => {
        if (settlement.count === 0) settlement.abortedFirst = true
        log(`abort #${request.id}`)
        controller.abort()
      })
    }
  }
  plan.requests.forEach((request, index) => later(request.at, () => issue(request, index)))

  try {
    await untilSettledOrQuiet(everySettled, () => trace.length, started)
    obs.settledAt = Date.now()
    finished = true
    // A refresh whose requests were all aborted may still be running: it must end by its timeout.
    await waitUntil(() => auth!.status !== 'refreshing', REFRESH_TIMEOUT_MS + 2_000)
    obs.finalStatus = auth.status
    obs.pendingTimers = clock.pendingTimers
    obs.serverIdle = await server.whenIdle(1_000)
    // Node reports an unhandled rejection only after a macrotask turn.
    await new Promise((resolve) => setImmediate(resolve))
    obs.leftoverListeners = [longLived.signal, ...ownSignals].reduce((sum, signal) => sum + getEventListeners(signal, 'abort').length, 0)
    return obs
  } finally {
    runsInProgress.delete(obs)
    for (const timer of timers) clearTimeout(timer)
    agent.destroy()
    await server.close()
  }
}

export function describeError(error: unknown): string {
  if (axios.isCancel(error)) return 'CanceledError'
  const { name, code, reason, response } = error as { name?: string; code?: string; reason?: string; response?: { status?: number } }
  if (name === 'LoginRequiredError') return `LoginRequiredError(${reason})`
  if (axios.isAxiosError(error)) return `AxiosError(${response?.status ?? code})`
  return `${name ?? typeof error}(${code ?? String(error)})`
}
