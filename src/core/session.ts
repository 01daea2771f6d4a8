import { abortable } from './abortable'
import { createSystemClock } from './clock'
import { ConfigurationError, disposedError, LoginRequiredError, ReauthError, RefreshFailedError, toError, type LoginRequiredReason } from './errors'
import { expiryOf, readClaims, type JwtClaims } from './jwt'
import { createListeners } from './listeners'
import { classifyRefreshFailure } from './refresh-failure'
import { createRequestQueue } from './request-queue'
import { selfWaitError } from './self-wait-error'
import { createServerClock } from './server-clock'
import type { Session, SessionOptions } from './session-types'
import { createSharedRefresh, type Outcome } from './shared-refresh'
import { connectTabs } from './tab-sync'
import { RefreshTimeoutError, timebox } from './timebox'
import { createTokenPersistence } from './token-persistence'
import { memoryStorage } from './token-storage'
import { normalizeTokens } from './tokens'
import type { SessionEvents, SessionStatus, Tokens } from './types'

export type { Session, SessionOptions } from './session-types'

// How long a tab keeps the cross-tab lock after broadcasting new tokens, so that they reach the
// other tabs (a same-browser message takes well under this) before one of them takes the lock.
const CHANNEL_GRACE_MS = 50

/**
 * Creates a session. Its status is derived, never stored: `refreshing` while a refresh is in
 * flight, else `authenticated` while an access token is held, else `unauthenticated`.
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
  const persistence = createTokenPersistence(options.storage ?? memoryStorage(), options.logger ?? console, () => clock.now())
  const classify = options.classifyRefreshFailure ?? classifyRefreshFailure
  const listeners = createListeners<SessionEvents>()
  const queue = createRequestQueue()
  const shared = createSharedRefresh<Tokens>()
  const refreshTimeoutMs = options.refreshTimeoutMs ?? 15_000
  const { tabs } = options
  const tabLockName = options.tabLockName ?? 'axios-reauth'
  let tokens: Tokens | undefined
  let claims: JwtClaims | undefined
  let expiresAt: number | undefined
  let generation = 0
  let attempts = 0
  let loading: Promise<void> | undefined
  // Set when the server refused the current token: a failed refresh can then not fall back on it.
  let tokenRefused = false
  // After a refresh ahead of expiry fails transiently, the next try waits 1 s, 2 s, 4 s … 60 s.
  let proactiveFailures = 0
  let proactivePausedUntil = 0
  // Once per ended session: reset whenever new tokens arrive.
  let loginRequiredSent = false
  // Why the session has no tokens: a request sent before the end is answered with this reason.
  let endedBy: LoginRequiredReason | undefined
  // Set by dispose(): what every later refresh, hold and replay is answered with.
  let disposed: ReauthError | undefined
  let disconnectTabs: (() => void) | undefined

  const status = (): SessionStatus => (shared.current || loading ? 'refreshing' : tokens ? 'authenticated' : 'unauthenticated')

  /** Runs a state change and emits `status` if the derived status moved. */
  const transition = <T>(change: () => T, before = status()): T => {
    try {
      return change()
    } finally {
      const after = status()
      if (after !== before) listeners.emit('status', after)
    }
  }

  const replaceTokens = (next: Tokens | undefined, shouldPersist = true) => {
    tokens = next
    claims = readClaims(next?.accessToken)
    expiresAt = expiryOf(next, claims)
    generation += 1
    tokenRefused = false
    proactiveFailures = 0
    proactivePausedUntil = 0
    if (next) {
      loginRequiredSent = false
      endedBy = undefined
    }
    if (shouldPersist) persistence.save(next)
    listeners.emit('tokens', next)
  }

  const isExpired = () => expiresAt !== undefined && expiresAt <= serverClock.now()

  /**
   * Ends the refresh in flight without waiting for it: new tokens arrived (a login, another tab)
   * and its waiters go with those, or the session ended and they get the error. Listeners still
   * see every `refresh:start` closed by a success or a failure.
   */
  const abandonFlight = (outcome: Tokens | ReauthError) => {
    shared.cancel(() => {
      if (outcome instanceof ReauthError) {
        listeners.emit('refresh:failure', { attempt: attempts, error: outcome })
        throw outcome
      }
      queue.release()
      listeners.emit('refresh:success', { attempt: attempts, superseded: true })
      return outcome
    })
  }

  const endSession = (reason: LoginRequiredReason, cause: unknown, fromOtherTab = false): LoginRequiredError => {
    const error = new LoginRequiredError(reason, cause)
    endedBy = reason
    abandonFlight(error)
    // The tab that ended the session already cleared shared storage; a tab's own memory is its own to clear.
    if (tokens) replaceTokens(undefined, !fromOtherTab || !persistence.sharedAcrossTabs)
    queue.rejectAll(error)
    if (!fromOtherTab) tabs?.channel.post({ type: 'signed-out', reason })
    if (!loginRequiredSent) {
      loginRequiredSent = true
      const event = { reason, error }
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
    return error
  }

  const judgeFailure = (attempt: number, outcome: Extract<Outcome<Tokens>, { ok: false }>): ReauthError => {
    const { error: cause } = outcome
    const timedOut = cause instanceof RefreshTimeoutError
    if (!timedOut && classify(cause) === 'fatal') return endSession('refresh-rejected', cause)
    // Cookie mode: nothing tells the refresh's own call apart, so a held one can only be named when the wait times out.
    const error = timedOut && !tokens?.refreshToken && queue.size > 0 ? selfWaitError(refreshTimeoutMs, queue.size, cause) : new RefreshFailedError(attempt, timedOut ? cause.message : describe(cause), cause)
    proactiveFailures += 1
    proactivePausedUntil = clock.now() + Math.min(1000 * 2 ** (proactiveFailures - 1), 60_000)
    // A token the server has not refused and that has not expired still works: let held requests use it.
    if (tokens && !tokenRefused && !isExpired()) {
      queue.release()
    } else {
      queue.rejectAll(error)
    }
    return error
  }

  const conclude = (attempt: number, outcome: Outcome<Tokens>): Tokens => {
    let error: ReauthError
    if (outcome.ok) {
      try {
        const next = normalizeTokens(outcome.value, serverClock.now(), 'refresh')
        // With tabs, the other tabs have them already: they were published under the lock.
        replaceTokens(next)
        queue.release()
        listeners.emit('refresh:success', { attempt })
        return next
      } catch (invalid) {
        // A refresh function returning the wrong shape is a bug to fix, not a reason to sign out.
        error = invalid as ConfigurationError
        queue.rejectAll(error)
      }
    } else {
      error = judgeFailure(attempt, outcome)
    }
    listeners.emit('refresh:failure', { attempt, error })
    throw error
  }

  const canRefresh = () => Boolean(options.refreshTokenInCookie || tokens?.refreshToken)

  const callRefresh = (controller: AbortController, refreshToken: string | undefined): Promise<Tokens> => {
    const startedAt = generation
    const pending = Promise.resolve(shared.asRefreshCall(() => options.refresh({ refreshToken, signal: controller.signal })))
    const bounded = timebox(pending, refreshTimeoutMs, clock, controller)
    bounded.catch((error: unknown) => {
      if (error instanceof RefreshTimeoutError) pending.then((late) => keepLateTokens(late, startedAt), () => {})
    })
    return bounded
  }

  /**
   * A refresh that answers after its timeout has still rotated the refresh token on the server:
   * dropping its tokens would make the next refresh present a spent one. They are kept when
   * nothing newer arrived meanwhile.
   */
  const keepLateTokens = (late: unknown, startedAt: number) => {
    if (disposed || generation !== startedAt) return
    try {
      const next = normalizeTokens(late, serverClock.now(), 'refresh')
      transition(() => {
        abandonFlight(next)
        replaceTokens(next)
        tabs?.channel.post({ type: 'tokens', tokens: next })
      })
    } catch {
      // Not tokens: nothing to keep.
    }
  }

  /**
   * Runs under the cross-tab lock. Another tab may have refreshed while this one waited: the
   * shared state is read first, so a rotated refresh token is never presented twice.
   */
  const refreshInTurn = async (controller: AbortController, startedWith: string | undefined, refreshToken: string | undefined) => {
    controller.signal.throwIfAborted()
    const latest = await persistence.reread()
    if (latest && latest.accessToken !== startedWith) return latest
    const result = await callRefresh(controller, latest?.refreshToken ?? refreshToken)
    await publishInTurn(result)
    return result
  }

  /**
   * Makes new tokens visible to the other tabs before the lock is released: the next holder
   * re-reads the shared state first thing, and must find them there. Shared storage is written
   * at once; with memory storage the tabs learn them from the channel, given a moment to arrive.
   */
  const publishInTurn = async (result: Tokens) => {
    let next: Tokens
    try {
      next = normalizeTokens(result, serverClock.now(), 'refresh')
    } catch {
      return
    }
    // Saved even after dispose(): the server has rotated the refresh token, and other tabs need the new one.
    persistence.save(next)
    if (disposed) return
    tabs?.channel.post({ type: 'tokens', tokens: next })
    if (!persistence.sharedAcrossTabs) await new Promise<void>((resolve) => clock.setTimeout(() => resolve(), CHANNEL_GRACE_MS))
  }

  const refresh = (): Promise<Tokens> => {
    if (disposed) return Promise.reject(disposed)
    if (shared.current) return shared.current.promise
    if (!canRefresh()) return Promise.reject(transition(() => endSession('no-refresh-token', undefined)))
    return transition(() => {
      const attempt = ++attempts
      const refreshToken = tokens?.refreshToken
      queue.pause()
      listeners.emit('refresh:start', { attempt })
      const startedWith = tabs ? tokens?.accessToken : undefined
      return shared.join(
        (controller) =>
          tabs
            ? tabs.lock(tabLockName, refreshTimeoutMs + 1_000, () => refreshInTurn(controller, startedWith, refreshToken))
            : callRefresh(controller, refreshToken),
        // The flight is already over when this runs, so the status before it was `refreshing`.
        (outcome) => transition(() => conclude(attempt, outcome), 'refreshing'),
      )
    })
  }

  const refreshAhead = (): number => {
    if (shared.current || loading) return 0
    if (!tokens || expiresAt === undefined || !canRefresh()) return Number.POSITIVE_INFINITY
    const untilDue = expiresAt - leewayMs - serverClock.now()
    if (untilDue > 0) return untilDue
    const untilRetry = proactivePausedUntil - clock.now()
    if (untilRetry > 0) return untilRetry
    refresh().catch(() => {})
    return 0
  }

  /** Holds requests until `until` settles, exactly as they wait for a refresh. */
  const holdUntil = (until: Promise<unknown>) => {
    queue.pause()
    loading = until.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      loading = undefined
      transition(() => queue.release(), 'refreshing')
    })
  }

  const load = () => {
    const stored = persistence.load()
    if (!(stored instanceof Promise)) return stored && replaceTokens(stored, false)
    holdUntil(stored.then((value) => !tokens && value && replaceTokens(value, false)))
  }

  if (options.tokens !== undefined) replaceTokens(normalizeTokens(options.tokens, clock.now(), 'setTokens'))
  else load()
  if (tabs) {
    disconnectTabs = connectTabs(
      tabs,
      {
        current: () => tokens,
        adopt(next) {
          if (tokens?.accessToken === next.accessToken) return
          transition(() => {
            abandonFlight(next)
            replaceTokens(next, !persistence.sharedAcrossTabs)
          })
        },
        signOut(reason) {
          if (tokens || shared.current) transition(() => endSession(reason, undefined, true))
        },
        holdUntil,
      },
      { ask: !tokens && !loading && !persistence.sharedAcrossTabs, askTimeoutMs: options.askTimeoutMs ?? 300, clock },
    )
  }

  return {
    get status() {
      return status()
    },
    get generation() {
      return generation
    },
    get accessToken() {
      return tokens?.accessToken
    },
    get heldRequests() {
      return queue.size
    },
    get claims() {
      return claims
    },
    get expiresAt() {
      return expiresAt
    },
    leewayMs,
    clock,
    serverClock,
    getTokens: () => (tokens ? { ...tokens } : undefined),
    setTokens(next) {
      if (disposed) throw disposedError('setTokens() did nothing')
      const normalized = normalizeTokens(next, serverClock.now(), 'setTokens')
      transition(() => {
        // Tokens from a login win over a refresh still in flight: its waiters go with these.
        abandonFlight(normalized)
        replaceTokens(normalized)
        tabs?.channel.post({ type: 'tokens', tokens: normalized })
      })
    },
    clearTokens() {
      if (disposed) return
      transition(() => {
        const error = new LoginRequiredError('signed-out')
        endedBy = 'signed-out'
        abandonFlight(error)
        if (tokens) replaceTokens(undefined)
        queue.rejectAll(error)
        tabs?.channel.post({ type: 'signed-out', reason: 'signed-out' })
      })
    },
    refresh,
    refreshAhead,
    whenReady(signal) {
      if (disposed) return Promise.reject(disposed)
      if (shared.current || loading || refreshAhead() === 0) return queue.hold(signal)
      return undefined
    },
    recover(sentGeneration, signal, cause) {
      if (sentGeneration === generation) tokenRefused = true
      else if (!shared.current && tokens) return Promise.resolve()
      // Sent before the session ended: that end already told the app; this request just shares it.
      else if (!shared.current && endedBy) return Promise.reject(new LoginRequiredError(endedBy, cause))
      return abortable(refresh(), signal).then(() => undefined)
    },
    rejectReplay(sentGeneration, cause) {
      if (disposed) return disposed
      if (sentGeneration === generation && tokens) return transition(() => endSession('token-revoked', cause))
      if (!tokens) return new LoginRequiredError(endedBy ?? 'token-revoked', cause)
      return new ReauthError('replay-rejected', 'The request was refused (401) again after its replay, and is not sent a third time. Check that the server accepts freshly issued tokens.', { cause })
    },
    dispose() {
      if (disposed) return
      disposed = disposedError('The request or refresh did not complete')
      disconnectTabs?.()
      transition(() => {
        abandonFlight(disposed!)
        queue.rejectAll(disposed)
      })
    },
    isRefreshCall(signal) {
      return shared.isCalling || (signal != null && signal === shared.current?.signal)
    },
    get refreshTokenInFlight() {
      return shared.current ? tokens?.refreshToken : undefined
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
