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
 * What `reauthenticate` receives: why the session would have ended, and a signal that aborts
 * when the sign-in is no longer wanted (tokens came another way, the app signed out, the client
 * was disposed, or `reauthenticateTimeoutMs` passed): close the dialog then.
 * @example
 * ```ts
 * const reauthenticate = async ({ reason, signal }: ReauthenticateContext) => {
 *   signal.addEventListener('abort', () => loginDialog.close())
 *   return loginDialog.open({ message: reason === 'refresh-rejected' ? 'Your session expired.' : 'Please sign in again.' })
 * }
 * ```
 */
export interface ReauthenticateContext {
  /** What would have ended the session: `refresh-rejected`, `no-refresh-token` or `token-revoked`. */
  reason: LoginRequiredReason
  /** The original failure (the token endpoint's answer, the refused replay). */
  cause: unknown
  signal: AbortSignal
}

/**
 * Signs the user in again without leaving the page (a dialog, a popup): resolve with the new
 * tokens, and every held request goes out with them; reject (the user closed the dialog), and
 * they reject with `LoginRequiredError` as if there were no such option.
 * @example
 * ```ts
 * const reauthenticate: ReauthenticateFunction = async ({ signal }) => {
 *   const { username, password } = await loginDialog.open({ signal }) // rejects when closed
 *   const { data } = await axios.post('/auth/login', { username, password }, { signal })
 *   return { accessToken: data.access_token, refreshToken: data.refresh_token, expiresIn: data.expires_in }
 * }
 * ```
 */
export type ReauthenticateFunction = (context: ReauthenticateContext) => Promise<RefreshResult>

/**
 * What `stepUp` receives: what the server asks for (RFC 9470), and when to give up.
 * @example
 * ```ts
 * const stepUp = async ({ acrValues, maxAge, signal }: StepUpChallenge) =>
 *   authorize({ acr_values: acrValues, max_age: maxAge, prompt: 'login', signal }) // resolves with { accessToken, … }
 * ```
 */
export interface StepUpChallenge {
  /** The `acr_values` of the challenge, space-separated. */
  acrValues: string | undefined
  /** The `max_age` of the challenge, in seconds. */
  maxAge: number | undefined
  /** The `StepUpRequiredError` of the first request that met the challenge. */
  cause: unknown
  /** Aborts once `reauthenticateTimeoutMs` passed or the client was disposed. */
  signal: AbortSignal
}

/**
 * Steps the user's authentication up (RFC 9470): run an authorization request with
 * `acr_values` / `max_age` and resolve with the tokens it gave. Called once for all the requests
 * that meet the same challenge at once; they are then replayed with the new token.
 * @example
 * ```ts
 * const stepUp: StepUpFunction = async ({ acrValues, maxAge }) => {
 *   const code = await otpDialog.open({ acrValues, maxAge })
 *   const { data } = await axios.post('/auth/step-up', { code, acr_values: acrValues })
 *   return { accessToken: data.access_token, refreshToken: data.refresh_token, expiresIn: data.expires_in }
 * }
 * ```
 */
export type StepUpFunction = (challenge: StepUpChallenge) => Promise<RefreshResult>

/**
 * Where the session stands: `restoring` while tokens are read from an asynchronous storage or
 * asked of other tabs, `refreshing` while a refresh is in flight, `reauthenticating` while the
 * user signs in again (this tab's `reauthenticate`, or another tab's), else `authenticated`
 * while an access token is held, else `unauthenticated`.
 */
export type SessionStatus = 'restoring' | 'authenticated' | 'refreshing' | 'reauthenticating' | 'unauthenticated'

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
  /**
   * A refresh started (one per shared refresh, however many requests wait for it). It ends with
   * `refresh:success` or `refresh:failure`; with `reauthenticate`, a refused one ends in the
   * status `reauthenticating` instead, and the sign-in's outcome follows.
   */
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
