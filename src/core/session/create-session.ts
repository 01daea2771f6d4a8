import { abortable } from '../hold/abortable'
import { createSystemClock } from '../time/clock'
import { ConfigurationError, disposedError, LoginRequiredError, ReauthError } from '../errors'
import { createListeners } from '../support/listeners'
import { classifyRefreshFailure } from '../refresh/classify-failure'
import { createRequestQueue } from '../hold/hold-queue'
import { createServerClock } from '../time/server-clock'
import type { Session, SessionOptions, SessionPort } from './types'
import { connectTabs as connectAnyTabs, DEFAULT_ASK_TIMEOUT_MS } from '../tabs/sync'
import { createTokenPersistence } from '../tokens/persistence'
import { memoryStorage } from '../tokens/storage'
import { normalizeTokens } from '../tokens/tokens'
import type { SessionEvents, SessionStatus, Tokens } from '../types'
import { toCredential } from './credential'
import { createEffectPerformer } from './perform-effects'
import { reduce } from './reduce'
import { createRefreshFlight } from './refresh-flight'
import { createReauthentication } from './reauthentication'
import { DEFAULT_REAUTHENTICATE_TIMEOUT_MS } from './options'
import { createRestore } from './restore'
import { credentialOf, initialState, isBusy, type Credential, type SessionEvent, type SessionRules, type SessionState } from './state'
import { createStepUps } from './step-up'

/** How a session joins its tabs: passed in, so that a client without cross-tab does not ship it. */
type ConnectTabs = typeof connectAnyTabs

/** What `getTokens()` shows: a disposed session's last tokens too. */
const tokensOf = (state: SessionState): Tokens | undefined => (state.status === 'disposed' ? state.credential : credentialOf(state))?.tokens

const publicStatus = (state: SessionState): SessionStatus => (state.status === 'disposed' ? 'unauthenticated' : state.status)

/**
 * Creates a session with its internal port: one state value, changed only by {@link reduce}, and this runner, which
 * performs the effects of each transition in order (the refresh call, the hold queue,
 * persistence, the other tabs, events) and emits `status` when it moved. Events dispatched
 * while effects run (a listener calling `setTokens`) are queued and applied after.
 * @param options - The session's options; `tabs` coordinates it with the other tabs.
 * @param connectTabs - How it joins those tabs (their tokens, sign-outs, questions): given by
 *   whoever opened `tabs`, so that a client without cross-tab does not ship the code.
 * @example
 * ```ts
 * const session = createSessionPort({ refresh, tokens })
 * session.on('status', (status) => console.info(status))
 * await session.refresh()
 * ```
 */
export function createSessionPort(options: SessionOptions, connectTabs?: ConnectTabs): SessionPort {
  const clock = options.clock ?? createSystemClock()
  const serverClock = createServerClock(clock)
  const leewayMs = (options.leewaySeconds ?? 30) * 1000
  const logger = options.logger ?? console
  const persistence = createTokenPersistence(options.storage ?? memoryStorage(), logger, () => clock.now())
  const classify = options.classifyRefreshFailure ?? classifyRefreshFailure
  const refreshTimeoutMs = options.refreshTimeoutMs ?? 15_000
  const withoutToken = Boolean(options.refreshTokenInCookie)
  const { tabs } = options
  const tabLockName = options.tabLockName ?? 'axios-reauth'
  const reauthenticateTimeoutMs = options.reauthenticateTimeoutMs ?? DEFAULT_REAUTHENTICATE_TIMEOUT_MS
  const rules: SessionRules = { reauthenticate: typeof options.reauthenticate === 'function' }
  const listeners = createListeners<SessionEvents>()
  const queue = createRequestQueue()

  let state: SessionState = initialState
  const disposed = disposedError('The request or refresh did not complete')

  const context = () => ({ serverNow: serverClock.now(), deviceNow: clock.now(), leewayMs })
  const received = (tokens: Tokens) => toCredential(tokens, context())
  /** Tokens the app handed over (a login, a sign-in, a step-up), checked and normalized now. */
  const accepted = (raw: unknown, source: 'setTokens' | 'reauthenticate' | 'stepUp') => received(normalizeTokens(raw, serverClock.now(), source))

  const flight = createRefreshFlight({
    refresh: options.refresh,
    refreshTimeoutMs,
    clock,
    serverClock,
    persistence,
    tabs,
    tabLockName,
    classify,
    reauthenticates: rules.reauthenticate,
    state: () => state,
    dispatch,
    issued: (raw) => toCredential(normalizeTokens(raw, serverClock.now(), 'refresh'), context(), { previous: credentialOf(state) }),
    isExpired: () => {
      const expiresAt = credentialOf(state)?.expiresAt
      return expiresAt !== undefined && expiresAt <= serverClock.now()
    },
    heldRequests: () => queue.size,
  })
  const login = createReauthentication({
    reauthenticate: options.reauthenticate,
    timeoutMs: reauthenticateTimeoutMs,
    clock,
    dispatch,
    issued: (raw) => accepted(raw, 'reauthenticate'),
  })
  const stepUps = options.stepUp
    ? createStepUps({ stepUp: options.stepUp, timeoutMs: reauthenticateTimeoutMs, clock, setTokens: (raw) => dispatch({ type: 'tokensReceived', credential: accepted(raw, 'stepUp'), from: 'app' }) })
    : undefined
  const effects = createEffectPerformer({ queue, persistence, tabs, listeners, flight, login, onLoginRequired: options.onLoginRequired })
  const restore = createRestore({ clock, dispatch, received })

  // ---- the runner --------------------------------------------------------------------------

  const queued: SessionEvent[] = []
  let dispatching = false

  // A declaration, so that the parts made above can be handed it; none calls it before the session starts.
  function dispatch(event: SessionEvent) {
    queued.push(event)
    if (dispatching) return
    dispatching = true
    try {
      for (let next = queued.shift(); next; next = queued.shift()) {
        const before = state
        const transition = reduce(before, next, rules)
        state = transition.state
        effects.perform(transition.effects)
        if (publicStatus(state) !== publicStatus(before)) listeners.emit('status', publicStatus(state))
      }
    } finally {
      dispatching = false
    }
  }

  // ---- where the session starts ------------------------------------------------------------

  const startFrom = (tokens: Tokens, shouldPersist: boolean) => {
    state = { status: 'authenticated', generation: 1, attempt: 0, credential: received(tokens) }
    if (shouldPersist) persistence.save(tokens)
  }

  if (options.tokens !== undefined) {
    startFrom(normalizeTokens(options.tokens, clock.now(), 'setTokens'), true)
  } else {
    const stored = persistence.load()
    if (stored instanceof Promise) {
      restore.from(stored, refreshTimeoutMs, () => logger.warn(`[axios-reauth] The token storage did not answer within ${refreshTimeoutMs} ms: starting without stored tokens. Check that its get() settles.`))
    } else if (stored) {
      startFrom(stored, false)
    }
  }

  let disconnectTabs: (() => void) | undefined
  if (tabs && connectTabs) {
    disconnectTabs = connectTabs(
      tabs,
      {
        current: () => credentialOf(state)?.tokens,
        adopt: (next) => dispatch({ type: 'tokensReceived', credential: received(next), from: 'tab' }),
        signOut: (reason) => dispatch({ type: 'signedOut', from: 'tab', reason }),
        signingIn: (reason) => dispatch({ type: 'loginOpened', reason }),
        holdUntil: (until) => restore.from(until as Promise<void>, Infinity),
      },
      { ask: state.status === 'unauthenticated' && !persistence.sharedAcrossTabs, askTimeoutMs: options.askTimeoutMs ?? DEFAULT_ASK_TIMEOUT_MS, clock },
    )
  }

  // ---- what callers use ----------------------------------------------------------------------

  /** What a caller of `refresh()` joins: the refresh in flight, or the pending sign-in; `undefined` when neither runs. */
  const tokensUnderWay = () => flight.current?.deferred.promise ?? login.promise

  const refresh = (): Promise<Tokens> => {
    if (state.status === 'disposed') return Promise.reject(disposed)
    // Tokens may be on their way from storage or another tab: refresh with those, or decide then.
    if (state.status === 'restoring') return restore.done.then(refresh)
    const joined = tokensUnderWay()
    if (joined) return joined
    // Called from a listener while a transition runs: decide once it has.
    if (dispatching) return Promise.resolve().then(refresh)
    dispatch({ type: 'refreshRequested', withoutToken })
    // The transition above may have started the flight, or opened a sign-in instead of ending the session (reauthenticate).
    return tokensUnderWay() ?? Promise.reject(effects.endedError ?? new LoginRequiredError('no-session'))
  }

  /** How many ms until `credential` is due for a refresh ahead of expiry (0 or less: due); `Infinity` when never. */
  const untilDue = (credential: Credential): number => {
    if (credential.refreshAt === undefined || (!credential.tokens.refreshToken && !withoutToken)) return Infinity
    return credential.refreshAt - (credential.refreshClock === 'server' ? serverClock.now() : clock.now())
  }

  const refreshAhead = (): number => {
    if (isBusy(state)) return 0
    const credential = credentialOf(state)
    if (!credential) return Infinity
    const due = untilDue(credential)
    if (due > 0) return due
    const backoff = state.status === 'authenticated' ? state.backoff : undefined
    const untilRetry = (backoff?.until ?? 0) - clock.now()
    if (untilRetry > 0) return untilRetry
    refresh().catch(() => {})
    return 0
  }

  return {
    get status() {
      return publicStatus(state)
    },
    get generation() {
      return state.generation
    },
    get accessToken() {
      return credentialOf(state)?.tokens.accessToken
    },
    get heldRequests() {
      return queue.size
    },
    get claims() {
      return credentialOf(state)?.claims
    },
    get expiresAt() {
      return credentialOf(state)?.expiresAt
    },
    get lifetimeMs() {
      return credentialOf(state)?.lifetimeMs
    },
    get refreshTokenInFlight() {
      return flight.current?.refreshToken
    },
    get steadyToken() {
      // No refresh called, in flight or due, so a request can be neither the refresh's own call nor held.
      // The flight, besides the status: the new tokens' listeners run before it settles.
      if (state.status !== 'authenticated' || flight.current !== undefined || flight.isCalling || untilDue(state.credential) <= 0) return undefined
      return state.credential.tokens.accessToken
    },
    leewayMs,
    clock,
    serverClock,
    getTokens() {
      const tokens = tokensOf(state)
      return tokens ? { ...tokens } : undefined
    },
    setTokens(next) {
      if (state.status === 'disposed') throw disposedError('setTokens() did nothing')
      // Tokens from a login win over a refresh still in flight: its waiters go with these.
      dispatch({ type: 'tokensReceived', credential: accepted(next, 'setTokens'), from: 'app' })
    },
    clearTokens() {
      dispatch({ type: 'signedOut', from: 'app', reason: 'signed-out' })
    },
    refresh,
    refreshAhead,
    whenReady(signal) {
      if (state.status === 'disposed') return Promise.reject(disposed)
      // Held while a refresh, a restore or a sign-in is under way, or when the token is due and a refresh starts now.
      return refreshAhead() === 0 ? queue.hold(signal) : undefined
    },
    recover(sentGeneration, signal, cause) {
      if (state.status === 'disposed') return Promise.reject(disposed)
      if (sentGeneration === state.generation) dispatch({ type: 'unauthorized', sentGeneration })
      // A late 401: the token was replaced since; replay with the current one.
      else if (state.status === 'authenticated') return Promise.resolve()
      // Sent before the session ended: that end already told the app; this request just shares it.
      else if (state.status === 'unauthenticated' && state.ended) return Promise.reject(new LoginRequiredError(state.ended.reason, cause))
      // The refresh's own promise, shared by every request that waits for it: none allocates a promise of its own.
      return abortable(refresh(), signal)
    },
    rejectReplay(sentGeneration, cause) {
      if (state.status === 'disposed') return disposed
      const before = state
      dispatch({ type: 'replayRefused', sentGeneration, cause })
      if (state !== before && state.status === 'unauthenticated' && effects.endedError) return effects.endedError
      if (!credentialOf(state)) return new LoginRequiredError(state.status === 'unauthenticated' ? (state.ended?.reason ?? 'token-revoked') : 'token-revoked', cause)
      return new ReauthError('replay-rejected', 'The request was refused (401) again after its replay, and is not sent a third time. Check that the server accepts freshly issued tokens.', { cause })
    },
    dispose() {
      if (state.status === 'disposed') return
      disconnectTabs?.()
      dispatch({ type: 'disposed', error: disposed })
      stepUps?.stop(disposed)
      restore.stop()
    },
    stepUp(error, signal) {
      if (state.status === 'disposed') return Promise.reject(disposed)
      return stepUps?.run(error, signal)
    },
    isRefreshCall(signal) {
      return flight.isCalling || (signal != null && signal === flight.current?.controller.signal)
    },
    on: listeners.on,
    isObserved: listeners.has,
    report: listeners.emit,
  }
}

/**
 * Creates a framework-free session, for adapters and tests that use no HTTP client: the same
 * session `createAuthClient()` builds, seen through its public side.
 * @throws ConfigurationError `invalid-option` without a `refresh` function.
 * @example
 * ```ts
 * const session = createSession({ refresh, tokens })
 * session.on('status', (status) => console.info(status))
 * await session.refresh()
 * ```
 */
export function createSession(options: SessionOptions): Session {
  // The clients check all their options (resolveClientOptions) before they open a session port.
  if (typeof options?.refresh !== 'function') {
    throw new ConfigurationError('invalid-option', `createSession() needs a refresh function (got ${typeof options?.refresh}): pass refresh: async ({ refreshToken, signal }) => ({ accessToken, refreshToken }).`)
  }
  return createSessionPort(options, connectAnyTabs)
}
