import { ReauthError } from 'axios-reauth'

/** Which way a refresh is made to fail: `fatal` ends the session, `transient` keeps it. */
export type FakeRefreshFailure = 'fatal' | 'transient'

/**
 * What {@link FakeAuthServer.refresh} throws when it is told to fail, or is handed a refresh token
 * it did not issue (or already rotated). It carries the HTTP status a token endpoint would answer,
 * as `status` and `response.status`, so the client's default `classifyRefreshFailure` judges it as
 * it would judge the real answer: 400 `invalid_grant` is fatal, 503 is transient.
 * @example
 * ```ts
 * auth.on('refresh:failure', ({ error }) => {
 *   if (error instanceof FakeRefreshError) expect(error.status).toBe(503)
 * })
 * ```
 */
export class FakeRefreshError extends ReauthError {
  /** The status a token endpoint would have answered: 400 when fatal, 503 when transient. */
  readonly status: 400 | 503
  /** The same status, where axios errors keep it. */
  readonly response: { readonly status: 400 | 503 }

  /**
   * @param kind - `fatal` (400) or `transient` (503).
   * @param why - Why the fake server refused and what to do, for the message.
   */
  constructor(kind: FakeRefreshFailure, why: string) {
    const status = kind === 'fatal' ? 400 : 503
    super('fake-refresh-failed', `The fake auth server refused the refresh with ${status}: ${why}.`, { retryable: kind === 'transient' })
    this.name = 'FakeRefreshError'
    this.status = status
    this.response = { status }
  }
}
