import { abortable } from './abortable'
import { createSystemClock, type Clock } from './clock'
import { ConfigurationError, LoginRequiredError, ReauthError, RefreshFailedError, toError, type LoginRequiredReason } from './errors'
import { expiryOf, readClaims, type JwtClaims } from './jwt'
import { createListeners } from './listeners'
import { classifyRefreshFailure } from './refresh-failure'
import { createRequestQueue } from './request-queue'
import { createSharedRefresh, type Outcome } from './shared-refresh'
import { normalizeTokens } from './tokens'
import type { LoginRequiredEvent, RefreshFailureKind, RefreshFunction, SessionEvents, SessionStatus, Tokens } from './types'

/** Options of {@link createSession}. */
export interface SessionOptions {
  /** Your call to the token endpoint: receives the refresh token and an AbortSignal. */
  refresh: RefreshFunction
  /** Tokens to start with, e.g. after a login. */
  tokens?: Tokens
  /** Called once per ended session (not once per request), e.g. to route to the login page. */
  onLoginRequired?: (event: LoginRequiredEvent) => void
  /** A refresh that has not settled by then fails transiently. @default 15000 */
  refreshTimeoutMs?: number
  /** Judges a refresh failure. @default {@link classifyRefreshFailure} */
  classifyRefreshFailure?: (error: unknown) => RefreshFailureKind
  /** The refresh token lives in an httpOnly cookie: refreshing without one is normal. @default false */
  refreshTokenInCookie?: boolean
  /** Time source and timers. @default the system clock */
  clock?: Clock
}

/** Session state and the one shared refresh; knows nothing of HTTP libraries. */
export interface Session {
  readonly status: SessionStatus
  /** Grows by one whenever the tokens are replaced or cleared. */
  readonly generation: number
  /** The access token's decoded claims; `undefined` for opaque tokens or none. */
  readonly claims: JwtClaims | undefined
  /** When the access token expires (epoch ms), from `expiresAt` or the JWT's `exp`. */
  readonly expiresAt: number | undefined
  readonly clock: Clock
  getTokens(): Tokens | undefined
  setTokens(tokens: Tokens): void
  clearTokens(): void
  /** Joins the refresh in flight or starts one. */
  refresh(): Promise<Tokens>
  /** `undefined` when a request may go now, else a promise that settles when it may. */
  whenReady(signal?: AbortSignal | null): Promise<void> | undefined
  /** After a 401 for a request sent at `sentGeneration`: settles when a newer token is in place. */
  recover(sentGeneration: number, signal?: AbortSignal | null): Promise<void>
  /** A replayed request got 401 again: ends the session if its token is still current. */
  rejectReplay(sentGeneration: number, cause: unknown): ReauthError
  /** Tells whether a request is the refresh call itself (it must never wait for itself). */
  isRefreshCall(signal: AbortSignal | null | undefined): boolean
  on: <Name extends keyof SessionEvents>(name: Name, listener: (payload: SessionEvents[Name]) => void) => () => void
}

/**
 * Creates a session. Its status is derived, never stored: `refreshing` while a refresh is in
 * flight, else `authenticated` while an access token is held, else `unauthenticated`.
 */
export function createSession(options: SessionOptions): Session {
  if (typeof options?.refresh !== 'function') {
    throw new ConfigurationError('invalid-option', `createAuthClient() needs a refresh function (got ${typeof options?.refresh}): pass refresh: async ({ refreshToken, signal }) => ({ accessToken, refreshToken }).`)
  }
  const clock = options.clock ?? createSystemClock()
  const classify = options.classifyRefreshFailure ?? classifyRefreshFailure
  const listeners = createListeners<SessionEvents>()
  const queue = createRequestQueue()
  const shared = createSharedRefresh<Tokens>({ timeoutMs: options.refreshTimeoutMs ?? 15_000, clock })
  let tokens = options.tokens === undefined ? undefined : normalizeTokens(options.tokens, clock.now(), 'setTokens')
  let generation = 0
  // Decoded once per token, not per request.
  let claims = readClaims(tokens?.accessToken)
  let attempts = 0
  // Once per ended session: reset whenever new tokens arrive.
  let loginRequiredSent = false

  const status = (): SessionStatus => (shared.current ? 'refreshing' : tokens ? 'authenticated' : 'unauthenticated')

  /** Runs a state change and emits `status` if the derived status moved. */
  const transition = <T>(change: () => T, before = status()): T => {
    try {
      return change()
    } finally {
      const after = status()
      if (after !== before) listeners.emit('status', after)
    }
  }

  const replaceTokens = (next: Tokens | undefined) => {
    tokens = next
    claims = readClaims(next?.accessToken)
    generation += 1
    if (next) loginRequiredSent = false
    listeners.emit('tokens', next)
  }

  const endSession = (reason: LoginRequiredReason, cause: unknown): LoginRequiredError => {
    const error = new LoginRequiredError(reason, cause)
    if (tokens) replaceTokens(undefined)
    queue.rejectAll(error)
    if (!loginRequiredSent) {
      loginRequiredSent = true
      const event = { reason, error }
      listeners.emit('loginRequired', event)
      options.onLoginRequired?.(event)
    }
    return error
  }

  const judgeFailure = (attempt: number, outcome: Extract<Outcome<Tokens>, { ok: false }>): ReauthError => {
    const { error: cause, timedOut } = outcome
    if (!timedOut && classify(cause) === 'fatal') return endSession('refresh-rejected', cause)
    const error = new RefreshFailedError(attempt, timedOut ? toError(cause).message : describe(cause), cause)
    queue.rejectAll(error)
    return error
  }

  const conclude = (attempt: number, outcome: Outcome<Tokens>): Tokens => {
    let error: ReauthError
    if (outcome.ok) {
      try {
        const next = normalizeTokens(outcome.value, clock.now(), 'refresh')
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

  const refresh = (): Promise<Tokens> => {
    if (shared.current) return shared.current.promise
    if (!canRefresh()) return Promise.reject(transition(() => endSession('no-refresh-token', undefined)))
    return transition(() => {
      const attempt = ++attempts
      const refreshToken = tokens?.refreshToken
      queue.pause()
      listeners.emit('refresh:start', { attempt })
      return shared.join(
        (signal) => options.refresh({ refreshToken, signal }),
        // The flight is already over when this runs, so the status before it was `refreshing`.
        (outcome) => transition(() => conclude(attempt, outcome), 'refreshing'),
      )
    })
  }

  return {
    get status() {
      return status()
    },
    get generation() {
      return generation
    },
    get claims() {
      return claims
    },
    get expiresAt() {
      return expiryOf(tokens, claims)
    },
    clock,
    getTokens: () => (tokens ? { ...tokens } : undefined),
    setTokens(next) {
      const normalized = normalizeTokens(next, clock.now(), 'setTokens')
      transition(() => {
        replaceTokens(normalized)
        // Tokens from a login win over a refresh still in flight: its waiters go with these.
        shared.cancel(() => {
          queue.release()
          return normalized
        })
      })
    },
    clearTokens() {
      transition(() => {
        const error = new LoginRequiredError('signed-out')
        shared.cancel(() => {
          throw error
        })
        if (tokens) replaceTokens(undefined)
        queue.rejectAll(error)
      })
    },
    refresh,
    whenReady(signal) {
      return shared.current ? queue.hold(signal) : undefined
    },
    recover(sentGeneration, signal) {
      if (!shared.current && sentGeneration < generation && tokens) return Promise.resolve()
      return abortable(refresh(), signal).then(() => undefined)
    },
    rejectReplay(sentGeneration, cause) {
      if (sentGeneration === generation && tokens) return transition(() => endSession('token-revoked', cause))
      if (!tokens) return new LoginRequiredError('token-revoked', cause)
      return new ReauthError('replay-rejected', 'The request was refused (401) again after its replay, and is not sent a third time. Check that the server accepts freshly issued tokens.', { cause })
    },
    isRefreshCall(signal) {
      return shared.isCalling || (signal != null && signal === shared.current?.signal)
    },
    on: listeners.on,
  }
}

function describe(error: unknown): string {
  const status = (error as { response?: { status?: unknown } } | undefined)?.response?.status
  return typeof status === 'number' ? `the token endpoint answered ${status}` : toError(error).message
}
