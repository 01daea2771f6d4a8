/**
 * Types for `auth-api.mjs`, the small local auth API behind the terminal demo, the browser demo,
 * the cross-tab browser tests and the chaos tests. The implementation refers to these types in its
 * JSDoc, so this file is the single description of its shape.
 */

/** What the next refresh should do instead of its normal work (see `AuthApiControl.failNextRefresh`). */
export type RefreshFailureKind = 'invalid_grant' | 'server_error' | 'hang' | 'reset'

export type AuthApiEventType =
  | 'login'
  | 'refresh'
  | 'refresh-failure'
  | 'invalid_grant'
  | 'reuse'
  | 'revoked'
  | 'logout'
  | '401'
  | 'success'
  | 'control'
  | 'error'

export interface AuthApiOptions {
  /** Interface to listen on. Default `'127.0.0.1'`. */
  host?: string
  /** Port to listen on; `0` (the default) picks a free one. */
  port?: number
  /** Lifetime of access tokens in seconds. Default `5`. */
  accessTtlSeconds?: number
  /** When given, GET/HEAD requests that match no API route are served from this directory. */
  staticDir?: string
  /** Clock in epoch milliseconds (default `Date.now`): drives iat/exp, expiry checks, `Date` headers and event times, plus however far `expireAccessTokens()` moved it. */
  now?: () => number
}

export interface AuthApiEvent {
  /** Epoch milliseconds, from the server's clock (`now`). */
  at: number
  type: AuthApiEventType
  detail: string
}

/** The counters kept server-wide (in `AuthApiStats`) and for each visitor (`AuthApiControl.countersOf`). */
export interface AuthApiCounters {
  logins: number
  /** Every call to `POST /auth/refresh`, whatever its outcome. */
  refreshCalls: number
  refreshSuccesses: number
  /** Refresh tokens presented again after being rotated (each one revokes its family). */
  spentRefreshPresented: number
  apiRequests: number
  apiSuccesses: number
  api401: number
}

/** Server-wide: every request counts, whichever visitor sent it. */
export interface AuthApiStats extends AuthApiCounters {
  /** `x-request-id` header value → number of successful `/api` responses carrying it. */
  requestIds: Map<string, number>
  /** The most recent events, oldest first (at most 500). */
  events: AuthApiEvent[]
}

/** `GET /control/stats` body: the stats with `requestIds` as a plain object. */
export type AuthApiStatsJson = Omit<AuthApiStats, 'requestIds'> & { requestIds: Record<string, number> }

/** Body of a successful `POST /auth/login` or `POST /auth/refresh`. */
export interface AuthApiTokenResponse {
  access_token: string
  refresh_token: string
  token_type: 'Bearer'
  expires_in: number
}

/** Test and demo levers; each is also reachable as `POST /control/<name>` (arguments as JSON: `{ kind }`, `{ ms }`). */
export interface AuthApiControl {
  /**
   * Expires every access token issued so far, for real: the server's clock moves 2 s past the
   * latest `exp`, and its `Date` header tells clients so (a 401's diagnosis then reads expired).
   * Tokens issued afterwards live their full lifetime on the moved clock.
   */
  expireAccessTokens(): void
  /** Revokes every refresh-token family, and with it every access token issued so far. */
  revokeAll(): void
  /** Queues a failure for the next refresh call (calls queue up). The presented refresh token is not spent. */
  failNextRefresh(kind: RefreshFailureKind): void
  /** Delays every refresh response by `ms` milliseconds (0 turns it off). */
  setRefreshDelay(ms: number): void
  /**
   * The counters of one visitor: the requests that carried `x-demo-visitor: <visitor>` (a page
   * sends a new id per load). All zero for a visitor not seen yet. Also `GET /control/stats/<visitor>`.
   */
  countersOf(visitor: string): AuthApiCounters
  /** Clears the stats (in place) and every visitor's counters, queued failures and the refresh delay. Tokens and the clock are untouched. */
  reset(): void
}

export interface AuthApi {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  readonly url: string
  /** Stops listening and destroys open sockets, hung requests included. Safe to call twice. */
  close(): Promise<void>
  /** Live counters, mutated as requests are handled. */
  readonly stats: AuthApiStats
  readonly control: AuthApiControl
}

/** Starts the server; resolves once it is listening. */
export declare function startAuthApi(options?: AuthApiOptions): Promise<AuthApi>
