import type { Clock } from '../time/clock'
import type { TabCoordinator } from '../tabs/coordinator'
import type { ReauthError, StepUpRequiredError } from '../errors'
import type { JwtClaims } from '../tokens/jwt'
import type { Logger } from '../support/logger'
import type { ServerClock } from '../time/server-clock'
import type { TokenStorage } from '../tokens/storage'
import type { LoginRequiredEvent, ReauthenticateFunction, RefreshFailureKind, RefreshFunction, RefreshResult, SessionEvents, SessionStatus, StepUpFunction, Tokens } from '../types'

/** Options of `createSession()`. */
export interface SessionOptions {
  /**
   * Your call to the token endpoint: receives the refresh token and an AbortSignal. Send the
   * call with its own axios instance, or pass `signal` on. Sent through an attached instance, it
   * is recognised by that `signal`, by being sent before the first `await`, or by the refresh
   * token it carries (body, params, URL or headers), and goes at once without the access token.
   * Anything else sent there while the refresh runs waits behind it: a CSRF token fetch, and in
   * cookie mode the refresh call itself (no refresh token tells it apart), need `signal` or
   * `skipAuth: true`. In cookie mode, such a wait fails the refresh at `refreshTimeoutMs` with a
   * `ConfigurationError` (`invalid-option`) that says so.
   */
  refresh: RefreshFunction
  /** Tokens to start with, e.g. after a login; they win over what `storage` holds. `expiresIn` (seconds) is accepted. */
  tokens?: RefreshResult
  /** Called once per ended session (not once per request), e.g. to route to the login page. */
  onLoginRequired?: (event: LoginRequiredEvent) => void
  /**
   * Opt-in: instead of ending the session (the refresh token was refused, there is none, or a
   * fresh token was refused), ask the user to sign in again on the spot, e.g. in a dialog. While
   * it is pending (status `reauthenticating`) held and failed requests stay held, new ones are
   * held too, and the other tabs wait for this one's sign-in instead of opening their own.
   * Resolve with the new tokens: everything is replayed once with them, and the other tabs get
   * them. Reject (the user closed the dialog): every request rejects with `LoginRequiredError`
   * and `onLoginRequired` runs, as without this option. Its `signal` aborts when the sign-in is
   * no longer wanted (tokens from `setTokens()` or another tab, `clearTokens()`, `dispose()`, the timeout).
   * @example
   * ```ts
   * createAuthClient({ refresh, reauthenticate: ({ signal }) => openLoginDialog({ signal }) })
   * ```
   */
  reauthenticate?: ReauthenticateFunction
  /**
   * How long a sign-in (`reauthenticate`, another tab's, or `stepUp`) may take before it counts
   * as cancelled, in ms: nothing waits forever. @default 300000 (5 minutes)
   */
  reauthenticateTimeoutMs?: number
  /**
   * Opt-in: answers a step-up challenge (RFC 9470 `insufficient_user_authentication`) by running
   * the app's step-up, once for all the requests with the same demand, and replaying them with
   * the stepped-up token. Without it (or when it rejects), they reject with `StepUpRequiredError`.
   * @example
   * ```ts
   * createAuthClient({ refresh, stepUp: ({ acrValues, maxAge }) => openStepUpDialog({ acrValues, maxAge }) })
   * ```
   */
  stepUp?: StepUpFunction
  /** A refresh that has not settled by then fails transiently. @default 15000 */
  refreshTimeoutMs?: number
  /** A request whose token expires within this many seconds (server time) waits for a refresh first. @default 30 */
  leewaySeconds?: number
  /** Judges a refresh failure. @default `classifyRefreshFailure` */
  classifyRefreshFailure?: (error: unknown) => RefreshFailureKind
  /** The refresh token lives in an httpOnly cookie: refreshing without one is normal. @default false */
  refreshTokenInCookie?: boolean
  /** Where tokens are kept. @default memoryStorage() */
  storage?: TokenStorage
  /** Time source and timers. @default the system clock */
  clock?: Clock
  /** Receives warnings (e.g. a storage that fails). @default console */
  logger?: Logger
  /** Lock and channel shared with the other tabs; `undefined` for a single tab. */
  tabs?: TabCoordinator
  /** Names the cross-tab lock. @default 'axios-reauth' */
  tabLockName?: string
  /** How long a new tab with memory storage waits for another tab's tokens, in ms. @default 300 */
  askTimeoutMs?: number
}

/**
 * A session as apps and adapters see it: state, tokens and events; knows nothing of HTTP libraries.
 * `Claims` types the access token's claims (decoded, never verified): it describes what your
 * issuer puts in the token, and is not checked at runtime.
 */
export interface Session<Claims extends JwtClaims = JwtClaims> {
  /** `'restoring' | 'authenticated' | 'refreshing' | 'reauthenticating' | 'unauthenticated'`. */
  readonly status: SessionStatus
  /** The access token's decoded claims; `undefined` for opaque tokens or none. */
  readonly claims: Claims | undefined
  /** When the access token expires (epoch ms, server time), from `expiresAt` or the JWT's `exp`. */
  readonly expiresAt: number | undefined
  /**
   * How long the access token lives, in ms: `exp - iat` of a JWT, else what was left of it when it
   * arrived; `undefined` when its expiry is unknown.
   */
  readonly lifetimeMs: number | undefined
  /** Leeway before expiry within which a token counts as expiring, in ms. */
  readonly leewayMs: number
  readonly clock: Clock
  /** Server time, corrected by the `Date` headers fed to it. */
  readonly serverClock: ServerClock
  /** The current access token, without copying the tokens. */
  readonly accessToken: string | undefined
  /** A copy of the current tokens, or `undefined` when signed out. */
  getTokens(): Tokens | undefined
  /** Replaces the tokens; `expiresIn` (seconds) becomes `expiresAt` now. */
  setTokens(tokens: RefreshResult): void
  /** Signs out: forgets the tokens, in storage and in the other tabs. */
  clearTokens(): void
  /** Joins the refresh in flight or starts one. */
  refresh(): Promise<Tokens>
  /**
   * Stops the session for good: held requests and the refresh in flight reject with a
   * `ReauthError` coded `disposed`, the tab channel is no longer listened to, and later
   * `refresh()`/`setTokens()` fail the same way (`clearTokens()` does nothing). Idempotent.
   */
  dispose(): void
  /** Subscribes to a session event; returns the unsubscribe function. */
  on: <Name extends keyof SessionEvents>(name: Name, listener: (payload: SessionEvents[Name]) => void) => () => void
  /** Tells whether anyone listens to an event, so work nobody reads is skipped. */
  isObserved(name: keyof SessionEvents): boolean
}

/**
 * What only the HTTP glue uses: admitting, recovering and replaying requests. Internal: not
 * exported from the package root, so it can change with the glue.
 */
export interface SessionPort extends Session {
  /** How many requests wait for a refresh (or a restore) right now. */
  readonly heldRequests: number
  /** Grows by one whenever the tokens are replaced or the session ends. */
  readonly generation: number
  /**
   * Starts a refresh if the token is due. Returns how many ms until it is worth asking again:
   * 0 when a refresh started or is in flight, `Infinity` when never (no tokens, no known
   * expiry, nothing to refresh with).
   */
  refreshAhead(): number
  /** `undefined` when a request may go now, else a promise that settles when it may. */
  whenReady(signal?: AbortSignal | null): Promise<void> | undefined
  /** After a 401 for a request sent at `sentGeneration`: settles when a newer token is in place. */
  recover(sentGeneration: number, signal?: AbortSignal | null, cause?: unknown): Promise<unknown>
  /** A replayed request got 401 again: ends the session if its token is still current. */
  rejectReplay(sentGeneration: number, cause: unknown): ReauthError
  /**
   * Runs (or joins) the step-up a `StepUpRequiredError` demands, settling once the stepped-up
   * tokens are in place; rejects with that error when it fails, or with the signal's reason.
   * `undefined` without the `stepUp` option.
   */
  stepUp(error: StepUpRequiredError, signal?: AbortSignal | null): Promise<void> | undefined
  /** Tells whether a request is the refresh call itself (it must never wait for itself). */
  isRefreshCall(signal: AbortSignal | null | undefined): boolean
  /** The refresh token the refresh in flight presents; `undefined` when none runs, or in cookie mode. */
  readonly refreshTokenInFlight: string | undefined
  /**
   * The access token while nothing could hold or divert a request: the session is signed in, no
   * refresh is being called or in flight, and the token is not due. `undefined` otherwise, and a
   * request then takes the full look (`isRefreshCall`, `whenReady`).
   */
  readonly steadyToken: string | undefined
  /** Emits the events that the HTTP glue observes (`diagnosis`, `forbidden`). */
  report: <Name extends 'diagnosis' | 'forbidden'>(name: Name, payload: SessionEvents[Name]) => void
}
