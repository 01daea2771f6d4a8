import { abortable } from '../abortable'
import { createSystemClock } from '../clock'
import { createDeferred, type Deferred } from '../deferred'
import { ConfigurationError, disposedError, LoginRequiredError, ReauthError, RefreshFailedError, toError } from '../errors'
import { createListeners } from '../listeners'
import { classifyRefreshFailure } from '../refresh-failure'
import { createRequestQueue } from '../request-queue'
import { selfWaitError } from '../self-wait-error'
import { createServerClock } from '../server-clock'
import type { Session, SessionOptions } from '../session-types'
import { connectTabs } from '../tab-sync'
import { RefreshTimeoutError, timebox } from '../timebox'
import { createTokenPersistence } from '../token-persistence'
import { memoryStorage } from '../token-storage'
import { normalizeTokens } from '../tokens'
import type { SessionEvents, SessionStatus, Tokens } from '../types'
import { toCredential } from './credential'
import { reduce } from './reduce'
import { initialState, type Credential, type Effect, type Failure, type SessionEvent, type SessionState } from './state'

// How long a tab keeps the cross-tab lock after broadcasting new tokens, so that they reach the
// other tabs (a same-browser message takes well under this) before one of them takes the lock.
const CHANNEL_GRACE_MS = 50

/** The refresh call in flight: one per attempt, shared by every caller. */
interface Flight {
  readonly attempt: number
  readonly refreshToken: string | undefined
  readonly controller: AbortController
  readonly deferred: Deferred<Tokens>
  /** The refresh function answered (rather than the flight being ended for it). */
  answered: boolean
}

const credentialOf = (state: SessionState): Credential | undefined =>
  state.status === 'authenticated' || state.status === 'refreshing' ? state.credential : undefined

/** What `getTokens()` shows: a disposed session's last tokens too. */
const tokensOf = (state: SessionState): Tokens | undefined => (state.status === 'disposed' ? state.credential : credentialOf(state))?.tokens

const publicStatus = (state: SessionState): SessionStatus => (state.status === 'disposed' ? 'unauthenticated' : state.status)

/**
 * Creates a session: one state value, changed only by {@link reduce}, and this runner, which
 * performs the effects of each transition in order (the refresh call, the hold queue,
 * persistence, the other tabs, events) and emits `status` when it moved. Events dispatched
 * while effects run (a listener calling `setTokens`) are queued and applied after.
 * @example
 * ```ts
 * const session = createSession({ refresh, tokens })
 * session.on('status', (status) => console.info(status))
 * await session.refresh()
 * ```
 */
export function createSession(options: SessionOptions): Session {
  if (typeof options?.refresh !== 'function') {
    throw new ConfigurationError('invalid-option', `createAuthClient() needs a refresh function (got ${typeof options?.refresh}): pass refresh: async ({ refreshToken, signal }) => ({ accessToken, refreshToken }).`)
  }
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
  const listeners = createListeners<SessionEvents>()
  const queue = createRequestQueue()

  let state: SessionState = initialState
  let flight: Flight | undefined
  let isCalling = false
  // The error the latest end of the session rejected with: what later callers get too.
  let endedError: LoginRequiredError | undefined
  const disposed = disposedError('The request or refresh did not complete')
  // Restoring waits for every source (an async storage, the other tabs) to answer.
  let restoreSources = 0
  let restoredCredential: Credential | undefined
  const restoreDone = createDeferred<void>()

  const context = () => ({ serverNow: serverClock.now(), deviceNow: clock.now(), leewayMs })
  const received = (tokens: Tokens) => toCredential(tokens, context())
  const issued = (raw: unknown) => toCredential(normalizeTokens(raw, serverClock.now(), 'refresh'), context(), { previous: credentialOf(state) })
  const isExpired = (credential: Credential | undefined) => credential?.expiresAt !== undefined && credential.expiresAt <= serverClock.now()

  // ---- the runner --------------------------------------------------------------------------

  const queued: SessionEvent[] = []
  let dispatching = false

  const dispatch = (event: SessionEvent) => {
    queued.push(event)
    if (dispatching) return
    dispatching = true
    try {
      for (let next = queued.shift(); next; next = queued.shift()) {
        const before = state
        const transition = reduce(before, next)
        state = transition.state
        perform(transition.effects)
        if (publicStatus(state) !== publicStatus(before)) listeners.emit('status', publicStatus(state))
      }
    } finally {
      dispatching = false
    }
  }

  const perform = (effects: readonly Effect[]) => {
    // One error per failure of a transition: every held request, the flight and the app see the same.
    const made = new Map<Failure, ReauthError>()
    const errorOf = (failure: Failure): ReauthError => {
      if (failure.kind === 'given') return failure.error
      let error = made.get(failure) as LoginRequiredError | undefined
      if (!error) made.set(failure, (error = endedError = new LoginRequiredError(failure.reason, failure.cause)))
      return error
    }
    for (const effect of effects) {
      switch (effect.type) {
        case 'hold':
          queue.pause()
          break
        case 'release':
          queue.release()
          break
        case 'rejectHeld':
          queue.rejectAll(errorOf(effect.failure))
          break
        case 'callRefresh':
          startFlight(effect.attempt, effect.refreshToken)
          break
        case 'settleFlight':
          settleFlight(effect.tokens, effect.failure && errorOf(effect.failure))
          break
        case 'persist':
          // Another tab's tokens or sign-out are in shared storage already.
          if (effect.from !== 'tab' || !persistence.sharedAcrossTabs) persistence.save(effect.tokens)
          break
        case 'broadcast':
          tabs?.channel.post(effect.message)
          break
        case 'emitTokens':
          listeners.emit('tokens', effect.tokens)
          break
        case 'emitRefreshStart':
          listeners.emit('refresh:start', { attempt: effect.attempt })
          break
        case 'emitRefreshSuccess':
          listeners.emit('refresh:success', effect.superseded ? { attempt: effect.attempt, superseded: true } : { attempt: effect.attempt })
          break
        case 'emitRefreshFailure':
          listeners.emit('refresh:failure', { attempt: effect.attempt, error: errorOf(effect.failure) })
          break
        case 'loginRequired':
          tellLoginRequired(errorOf(effect.failure) as LoginRequiredError)
          break
      }
    }
  }

  const tellLoginRequired = (error: LoginRequiredError) => {
    const event = { reason: error.reason, error }
    listeners.emit('loginRequired', event)
    try {
      options.onLoginRequired?.(event)
    } catch (callbackError) {
      // The app's redirect failing must not leave the session half-ended.
      queueMicrotask(() => {
        throw callbackError
      })
    }
  }

  // ---- the refresh call ----------------------------------------------------------------------

  const settleFlight = (tokens: Tokens | undefined, error: ReauthError | undefined) => {
    const current = flight
    if (!current) return
    flight = undefined
    // Ended for a reason other than its own answer (new tokens, a sign-out): its call stops.
    if (!current.answered) current.controller.abort(new Error('the refresh was superseded'))
    if (tokens) current.deferred.resolve(tokens)
    else current.deferred.reject(error)
  }

  const startFlight = (attempt: number, refreshToken: string | undefined) => {
    const controller = new AbortController()
    const deferred = createDeferred<Tokens>()
    // Callers that never await (timers, fire-and-forget) must not cause unhandled rejections.
    deferred.promise.catch(() => {})
    const current: Flight = { attempt, refreshToken, controller, deferred, answered: false }
    flight = current
    const startedGeneration = state.generation
    const startedWith = credentialOf(state)?.tokens.accessToken
    let call: Promise<Tokens>
    try {
      call = tabs
        ? tabs.lock(tabLockName, refreshTimeoutMs + 1_000, () => refreshInTurn(current, startedWith, startedGeneration))
        : callRefresh(controller, refreshToken, startedGeneration)
    } catch (error) {
      call = Promise.reject(error)
    }
    call.then(
      (value) => answer(current, { ok: true, value }),
      (error: unknown) => answer(current, { ok: false, error }),
    )
  }

  const answer = (current: Flight, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) => {
    current.answered = true
    const at = clock.now()
    if (outcome.ok) {
      let credential: Credential
      try {
        credential = issued(outcome.value)
      } catch (invalid) {
        // A refresh function returning the wrong shape is a bug to fix, not a reason to sign out.
        return dispatch({ type: 'refreshFailed', attempt: current.attempt, fatal: false, error: invalid as ConfigurationError, cause: invalid, usable: false, at })
      }
      return dispatch({ type: 'refreshSucceeded', attempt: current.attempt, credential })
    }
    const cause = outcome.error
    const timedOut = cause instanceof RefreshTimeoutError
    const fatal = !timedOut && classify(cause) === 'fatal'
    // Cookie mode: nothing tells the refresh's own call apart, so a held one can only be named when the wait times out.
    const error = timedOut && current.refreshToken === undefined && queue.size > 0 ? selfWaitError(refreshTimeoutMs, queue.size, cause) : new RefreshFailedError(current.attempt, timedOut ? cause.message : describe(cause), cause)
    dispatch({ type: 'refreshFailed', attempt: current.attempt, fatal, error, cause, usable: !isExpired(credentialOf(state)), at })
  }

  const callRefresh = (controller: AbortController, refreshToken: string | undefined, startedGeneration: number): Promise<Tokens> => {
    let pending: Promise<Tokens>
    isCalling = true
    try {
      pending = Promise.resolve(options.refresh({ refreshToken, signal: controller.signal })) as Promise<Tokens>
    } catch (error) {
      pending = Promise.reject(error)
    } finally {
      isCalling = false
    }
    const bounded = timebox(pending, refreshTimeoutMs, clock, controller)
    bounded.catch((error: unknown) => {
      if (error instanceof RefreshTimeoutError) pending.then((late) => keepLateTokens(late, startedGeneration), () => {})
    })
    return bounded
  }

  /**
   * A refresh that answers after its timeout has still rotated the refresh token on the server:
   * dropping its tokens would make the next refresh present a spent one. They are kept when
   * nothing newer happened meanwhile (new tokens, a sign-out): the reducer checks the generation.
   */
  const keepLateTokens = (late: unknown, startedGeneration: number) => {
    try {
      dispatch({ type: 'tokensReceived', credential: issued(late), from: 'lateRefresh', generation: startedGeneration })
    } catch {
      // Not tokens: nothing to keep.
    }
  }

  /**
   * Runs under the cross-tab lock. Another tab may have refreshed while this one waited: the
   * shared state is read first, so a rotated refresh token is never presented twice.
   */
  const refreshInTurn = async (current: Flight, startedWith: string | undefined, startedGeneration: number) => {
    current.controller.signal.throwIfAborted()
    const latest = await persistence.reread()
    if (latest && latest.accessToken !== startedWith) return latest
    const result = await callRefresh(current.controller, latest?.refreshToken ?? current.refreshToken, startedGeneration)
    await publishInTurn(result, current)
    return result
  }

  /**
   * Makes new tokens visible to the other tabs before the lock is released: the next holder
   * re-reads the shared state first thing, and must find them there. Nothing is published for a
   * flight this tab abandoned (a sign-out, a login): that would undo them in every tab. After
   * `dispose()` the rotated tokens are still saved, since the other tabs need the new refresh token.
   */
  const publishInTurn = async (result: Tokens, current: Flight) => {
    const abandoned = flight !== current && state.status !== 'disposed'
    if (abandoned) return
    let next: Tokens
    try {
      next = normalizeTokens(result, serverClock.now(), 'refresh')
    } catch {
      return
    }
    persistence.save(next)
    if (state.status === 'disposed') return
    tabs?.channel.post({ type: 'tokens', tokens: next })
    if (!persistence.sharedAcrossTabs) await new Promise<void>((resolve) => clock.setTimeout(() => resolve(), CHANNEL_GRACE_MS))
  }

  // ---- restoring ---------------------------------------------------------------------------

  /** Holds requests until `source` settles; the session is restored when every source has. */
  const restoreFrom = (source: Promise<Tokens | undefined | void>, boundMs: number, onBound?: () => void) => {
    restoreSources += 1
    dispatch({ type: 'restoreStarted' })
    let settled = false
    const finish = (tokens: Tokens | undefined | void) => {
      if (settled) return
      settled = true
      clock.clearTimeout(timer)
      if (tokens && !restoredCredential) restoredCredential = received(tokens)
      if (--restoreSources > 0) return
      dispatch({ type: 'restored', credential: restoredCredential })
      restoreDone.resolve()
    }
    // A storage that never answers must not hold every request forever.
    const timer = Number.isFinite(boundMs)
      ? clock.setTimeout(() => {
          onBound?.()
          finish(undefined)
        }, boundMs)
      : undefined
    source.then(finish, () => finish(undefined))
  }

  const startFrom = (tokens: Tokens, shouldPersist: boolean) => {
    state = { status: 'authenticated', generation: 1, attempt: 0, credential: received(tokens) }
    if (shouldPersist) persistence.save(tokens)
  }

  if (options.tokens !== undefined) {
    startFrom(normalizeTokens(options.tokens, clock.now(), 'setTokens'), true)
  } else {
    const stored = persistence.load()
    if (stored instanceof Promise) {
      restoreFrom(stored, refreshTimeoutMs, () => logger.warn(`[axios-reauth] The token storage did not answer within ${refreshTimeoutMs} ms: starting without stored tokens. Check that its get() settles.`))
    } else if (stored) {
      startFrom(stored, false)
    }
  }

  let disconnectTabs: (() => void) | undefined
  if (tabs) {
    disconnectTabs = connectTabs(
      tabs,
      {
        current: () => credentialOf(state)?.tokens,
        adopt: (next) => dispatch({ type: 'tokensReceived', credential: received(next), from: 'tab' }),
        signOut: (reason) => dispatch({ type: 'signedOut', from: 'tab', reason }),
        holdUntil: (until) => restoreFrom(until as Promise<void>, Number.POSITIVE_INFINITY),
      },
      { ask: state.status === 'unauthenticated' && !persistence.sharedAcrossTabs, askTimeoutMs: options.askTimeoutMs ?? 300, clock },
    )
  }

  // ---- what callers use ----------------------------------------------------------------------

  const refresh = (): Promise<Tokens> => {
    if (state.status === 'disposed') return Promise.reject(disposed)
    // Tokens may be on their way from storage or another tab: refresh with those, or decide then.
    if (state.status === 'restoring') return restoreDone.promise.then(refresh)
    if (flight) return flight.deferred.promise
    // Called from a listener while a transition runs: decide once it has.
    if (dispatching) return Promise.resolve().then(refresh)
    dispatch({ type: 'refreshRequested', withoutToken })
    if (flight) return (flight as Flight).deferred.promise
    return Promise.reject(endedError ?? new LoginRequiredError('no-session'))
  }

  const refreshAhead = (): number => {
    if (state.status === 'refreshing' || state.status === 'restoring') return 0
    const credential = credentialOf(state)
    if (!credential || credential.refreshAt === undefined || (!credential.tokens.refreshToken && !withoutToken)) return Number.POSITIVE_INFINITY
    const untilDue = credential.refreshAt - (credential.refreshClock === 'server' ? serverClock.now() : clock.now())
    if (untilDue > 0) return untilDue
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
    get refreshTokenInFlight() {
      return flight?.refreshToken
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
      dispatch({ type: 'tokensReceived', credential: received(normalizeTokens(next, serverClock.now(), 'setTokens')), from: 'app' })
    },
    clearTokens() {
      dispatch({ type: 'signedOut', from: 'app', reason: 'signed-out' })
    },
    refresh,
    refreshAhead,
    whenReady(signal) {
      switch (state.status) {
        case 'disposed':
          return Promise.reject(disposed)
        case 'restoring':
        case 'refreshing':
          return queue.hold(signal)
        case 'authenticated':
          return refreshAhead() === 0 ? queue.hold(signal) : undefined
        default:
          return undefined
      }
    },
    recover(sentGeneration, signal, cause) {
      if (state.status === 'disposed') return Promise.reject(disposed)
      if (sentGeneration === state.generation) dispatch({ type: 'unauthorized', sentGeneration })
      // A late 401: the token was replaced since; replay with the current one.
      else if (state.status === 'authenticated') return Promise.resolve()
      // Sent before the session ended: that end already told the app; this request just shares it.
      else if (state.status === 'unauthenticated' && state.ended) return Promise.reject(new LoginRequiredError(state.ended.reason, cause))
      return abortable(refresh(), signal).then(() => undefined)
    },
    rejectReplay(sentGeneration, cause) {
      if (state.status === 'disposed') return disposed
      const before = state
      dispatch({ type: 'replayRefused', sentGeneration, cause })
      if (state !== before && endedError) return endedError
      if (!credentialOf(state)) return new LoginRequiredError(state.status === 'unauthenticated' ? (state.ended?.reason ?? 'token-revoked') : 'token-revoked', cause)
      return new ReauthError('replay-rejected', 'The request was refused (401) again after its replay, and is not sent a third time. Check that the server accepts freshly issued tokens.', { cause })
    },
    dispose() {
      if (state.status === 'disposed') return
      disconnectTabs?.()
      dispatch({ type: 'disposed', error: disposed })
    },
    isRefreshCall(signal) {
      return isCalling || (signal != null && signal === flight?.controller.signal)
    },
    on: listeners.on,
    isObserved: listeners.has,
    report: listeners.emit,
  }
}

function describe(error: unknown): string {
  const status = (error as { response?: { status?: unknown } } | undefined)?.response?.status
  return typeof status === 'number' ? `the token endpoint answered ${status}` : toError(error).message
}
