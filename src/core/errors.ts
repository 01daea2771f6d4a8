import { toError } from './support/to-error'

/**
 * Every failure axios-reauth reports, as a string code. Open-ended so that later codes
 * never break an exhaustive `switch` in an app.
 */
export type ReauthErrorCode =
  | 'login-required'
  | 'refresh-failed'
  | 'replay-rejected'
  | 'invalid-option'
  | 'invalid-refresh-result'
  | 'insufficient-scope'
  | 'step-up-required'
  | 'replay-skipped'
  | 'body-not-replayable'
  | 'disposed'
  | (string & {})

const brand = Symbol.for('axios-reauth.error')

/**
 * Base class of every error axios-reauth throws or rejects with.
 *
 * @example
 * ```ts
 * try { await api.get('/me') } catch (error) {
 *   if (isReauthError(error)) console.warn(error.code)
 * }
 * ```
 */
export class ReauthError extends Error {
  /** Machine-readable reason; compare against this rather than the message. */
  readonly code: ReauthErrorCode
  /** True when the same call may succeed if tried again later (a transient failure). */
  readonly retryable: boolean

  /**
   * @param code - The error code.
   * @param message - What failed, why, and what to do; the `[axios-reauth]` prefix is added.
   * @param options - `cause`: the original failure; `retryable`: whether trying again may help.
   */
  constructor(code: ReauthErrorCode, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(`[axios-reauth] ${message}`, options.cause === undefined ? undefined : { cause: toError(options.cause) })
    this.name = 'ReauthError'
    this.code = code
    this.retryable = options.retryable ?? false
    Object.defineProperty(this, brand, { value: true })
  }
}

/**
 * Why a session ended and the user has to sign in (again):
 * - `refresh-rejected`: the token endpoint refused the refresh token;
 * - `no-refresh-token`: the access token was refused and there is nothing to refresh it with;
 * - `token-revoked`: the server refused a token it had just issued;
 * - `signed-out`: the app (`clearTokens()`) or another tab signed out;
 * - `no-session`: nobody signed in yet (a visitor on a public page got a 401).
 */
export type LoginRequiredReason = 'refresh-rejected' | 'no-refresh-token' | 'token-revoked' | 'signed-out' | 'no-session'

/**
 * The session is over: the refresh token was rejected, there was none, or the server rejected
 * a token it had just issued. Every held and failed request rejects with it.
 * @example
 * ```ts
 * api.get('/me').catch((error) => {
 *   if (error instanceof LoginRequiredError) router.push('/login')
 * })
 * ```
 */
export class LoginRequiredError extends ReauthError {
  /** What ended the session. */
  readonly reason: LoginRequiredReason

  /**
   * @param reason - What ended the session.
   * @param cause - The failure that ended it (the token endpoint's error, or the request's 401).
   */
  constructor(reason: LoginRequiredReason, cause?: unknown) {
    super('login-required', `The session has ended (${reason}): sign the user in again, then call setTokens().`, { cause })
    this.name = 'LoginRequiredError'
    this.reason = reason
  }
}

/**
 * A refresh failed for a reason that may pass (network error, 5xx, timeout). The session and its
 * refresh token are kept; the next request tries again.
 * @example
 * ```ts
 * api.get('/me').catch((error) => {
 *   if (isReauthError(error) && error.retryable) showRetryBanner()
 * })
 * ```
 */
export class RefreshFailedError extends ReauthError {
  /** Which refresh of this client failed, counting from 1. */
  readonly attempt: number

  /**
   * @param attempt - Which refresh of this client failed, counting from 1.
   * @param detail - Why it failed, in a few words.
   * @param cause - The error the refresh function threw.
   */
  constructor(attempt: number, detail: string, cause?: unknown) {
    super('refresh-failed', `The token refresh failed: ${detail}. The session is kept; retry the request later.`, {
      cause,
      retryable: true,
    })
    this.name = 'RefreshFailedError'
    this.attempt = attempt
  }
}

/**
 * The server refused the request for lack of permission (`error="insufficient_scope"`): a new
 * token would not help, so no refresh was made.
 * @example
 * ```ts
 * auth.on('forbidden', ({ scope }) => toast(`Missing permission: ${scope}`))
 * ```
 */
export class InsufficientScopeError extends ReauthError {
  /** The scope the server says the request needs, when it said so. */
  readonly scope: string | undefined

  /**
   * @param scope - The `scope` parameter of the challenge.
   * @param cause - The 401 or 403 response's error.
   */
  constructor(scope: string | undefined, cause?: unknown) {
    super('insufficient-scope', `The server refused the request for lack of scope${scope ? ` (needs "${scope}")` : ''}: a new token would not help. Ask the user to grant the scope, or hide the action.`, { cause })
    this.name = 'InsufficientScopeError'
    this.scope = scope
  }
}

/**
 * The server wants a stronger or more recent sign-in (RFC 9470 step-up,
 * `error="insufficient_user_authentication"`): re-authenticate with `acrValues` / `maxAge`.
 * @example
 * ```ts
 * api.post('/payments', body).catch((error) => {
 *   if (error instanceof StepUpRequiredError) startLogin({ acr_values: error.acrValues, max_age: error.maxAge })
 * })
 * ```
 */
export class StepUpRequiredError extends ReauthError {
  /** The authentication context classes the server asks for, space-separated. */
  readonly acrValues: string | undefined
  /** The maximum age of the authentication, in seconds, the server accepts. */
  readonly maxAge: number | undefined

  /**
   * @param acrValues - The `acr_values` parameter of the challenge.
   * @param maxAge - The `max_age` parameter of the challenge, in seconds.
   * @param cause - The 401 response's error.
   */
  constructor(acrValues: string | undefined, maxAge: number | undefined, cause?: unknown) {
    super('step-up-required', 'The server asks the user to sign in again at a higher assurance level: start a new authorization request with these acr_values / max_age.', { cause })
    this.name = 'StepUpRequiredError'
    this.acrValues = acrValues
    this.maxAge = maxAge
  }
}

/** An option or argument that cannot work; the message names the fix.  * @example
 * ```ts
 * createAuthClient({} as never) // throws ConfigurationError: needs a refresh function
 * ```
 */
export class ConfigurationError extends ReauthError {
  /**
   * @param code - `invalid-option` or `invalid-refresh-result`.
   * @param message - What is wrong and how to fix the call.
   * @param options - `cause`: the failure that showed the mistake, when there was one.
   */
  constructor(code: 'invalid-option' | 'invalid-refresh-result', message: string, options?: { cause?: unknown }) {
    super(code, message, options)
    this.name = 'ConfigurationError'
  }
}

/**
 * What a disposed client answers with (code `disposed`): held requests, the refresh in flight,
 * and any later call that would need a live session.
 * @param failed - What did not happen, e.g. `'The request was not sent'`.
 */
export function disposedError(failed: string): ReauthError {
  return new ReauthError('disposed', `${failed}: this auth client was disposed. Create a new client with createAuthClient(), and stop using this one.`)
}

/**
 * Tells whether a value is an axios-reauth error. Checks a brand rather than `instanceof`, so
 * errors from a second copy of the library (two bundles) still match.
 *
 * @param value - Anything caught.
 * @returns True for every error this library creates.
 * @example
 * ```ts
 * api.get('/me').catch((error) => isReauthError(error) && error.code === 'login-required')
 * ```
 */
export function isReauthError(value: unknown): value is ReauthError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
}
