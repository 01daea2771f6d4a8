import type { LoginRequiredError, LoginRequiredReason, ReauthError } from './errors'

/** The tokens a session holds. */
export interface Tokens {
  /** Sent as `Authorization: Bearer <accessToken>`. */
  accessToken: string
  /** Exchanged for new tokens by your `refresh` function; absent in cookie mode. */
  refreshToken?: string
  /** When the access token expires, in epoch milliseconds, for opaque (non-JWT) tokens. */
  expiresAt?: number
}

/**
 * Tokens as they come from a token endpoint, with expiry as `expiresAt` or `expiresIn`: what
 * `refresh` may resolve with, and what `setTokens()` and the `tokens` option accept. `expiresIn`
 * becomes `expiresAt` once, when the tokens arrive; `expiresAt` wins when both are given.
 */
export interface RefreshResult extends Tokens {
  /** Lifetime of the new access token in seconds, as OAuth token endpoints send it. */
  expiresIn?: number
}

/** What your `refresh` function receives. */
export interface RefreshContext {
  /** The refresh token to present; `undefined` in cookie mode. */
  refreshToken: string | undefined
  /** Aborted when the refresh times out or is superseded: pass it on to your HTTP call. */
  signal: AbortSignal
}

/** Your call to the token endpoint. Throw (or reject) when it fails. */
export type RefreshFunction = (context: RefreshContext) => Promise<RefreshResult> | RefreshResult

/**
 * Where the session stands: `restoring` while tokens are read from an asynchronous storage or
 * asked of other tabs, `refreshing` while a refresh is in flight, else `authenticated` while an
 * access token is held, else `unauthenticated`.
 */
export type SessionStatus = 'restoring' | 'authenticated' | 'refreshing' | 'unauthenticated'

/** Passed to `onLoginRequired` and the `loginRequired` event, once per ended session. */
export interface LoginRequiredEvent {
  /** What ended the session. */
  reason: LoginRequiredReason
  /** The error that held and failed requests reject with; its `cause` is the original failure. */
  error: LoginRequiredError
}

/** How a refresh failure is judged: `fatal` ends the session, `transient` keeps it. */
export type RefreshFailureKind = 'fatal' | 'transient'

/** Events a session emits, by name, with their payloads. */
export interface SessionEvents {
  /** A refresh started (one per shared refresh, however many requests wait for it). */
  'refresh:start': { attempt: number }
  /**
   * A refresh succeeded; the new tokens are in place. `superseded` is true when tokens from
   * `setTokens()` or another tab arrived first and the refresh call was abandoned for them.
   */
  'refresh:success': { attempt: number; superseded?: boolean }
  /** A refresh failed; `error.code` tells whether the session ended (`login-required`). */
  'refresh:failure': { attempt: number; error: ReauthError }
  /** The tokens changed (set, refreshed or cleared); `undefined` when cleared. */
  tokens: Tokens | undefined
  /** The session ended and the user must sign in again. */
  loginRequired: LoginRequiredEvent
  /** The status changed. */
  status: SessionStatus
  /** A 401 was explained (see `diagnose()`); emitted for every 401 on an attached instance. */
  diagnosis: Diagnosis
  /** The server refused a request for lack of permission (`insufficient_scope`): no refresh helps. */
  forbidden: { scope: string | undefined; error: ReauthError }
}

/** Why a 401 happened, in words a developer can act on. */
export interface Diagnosis {
  /** Machine-readable cause, e.g. `token-expired`, `missing-authorization`, `clock-skew`. */
  code: string
  /** What happened. Never contains a token (at most its last 4 characters). */
  message: string
  /** What to do about it. */
  hint: string
}
