import type { AxiosError } from 'axios'
import type { Diagnosis, Logger, Session } from '../core'
import type { AllowedOrigin } from './origin-policy'

/**
 * DPoP (RFC 9449) as the client uses it: a proof for each send, and the servers' nonces. Made by
 * `dpop()` from `axios-reauth/dpop`.
 * @example
 * ```ts
 * import { dpop } from 'axios-reauth/dpop'
 * const auth = createAuthClient({ refresh, dpop: dpop({ name: 'my-app' }) })
 * ```
 */
export interface DpopProofFactory {
  /**
   * A fresh proof JWT for one send, with the nonce remembered for the URL's origin.
   * @param request - The HTTP method (upper case), the full URL, and the access token the request carries.
   * @returns The proof, sent in the `DPoP` header.
   */
  proof(request: { method: string; url: string; accessToken?: string }): Promise<string>
  /** Remembers a server's `DPoP-Nonce` for the origin of `url`, for the next proof. */
  rememberNonce(url: string, nonce: string): void
}

/** What a client knows of a 401 that a bare error does not carry; all optional. */
export interface DiagnoseContext {
  /** Server time (`Date`-corrected) and the leeway, for expiry and skew verdicts. */
  session?: Pick<Session, 'serverClock' | 'leewayMs'>
  /** The client's `header` and `scheme` (`''` for the raw token). @default Authorization and Bearer */
  header?: { readonly name: string; readonly scheme: string }
  /** Whether this client handled the request. @default whether any axios-reauth client did */
  isStamped?: (config: object | undefined) => boolean
}

/**
 * Explains a failed request: `diagnose` from `axios-reauth/diagnose`, passed to
 * `createAuthClient({ diagnose })`.
 * @example
 * ```ts
 * import { diagnose } from 'axios-reauth/diagnose'
 * const auth = createAuthClient({ refresh, diagnose })
 * ```
 */
export type Diagnoser = (error: unknown, context: DiagnoseContext) => Diagnosis

/** The options of the axios glue, beside the session's. */
export interface GlueOptions {
  /**
   * Origins, besides each attached instance's `baseURL` origin and the page's own origin, that
   * may receive the access token. Exact origins (`'https://files.example.com'`) or RegExps
   * tested against the origin. A request to any other origin never carries the token, and its
   * 401 never triggers a refresh.
   * @default []
   */
  allowedOrigins?: readonly AllowedOrigin[]
  /**
   * Overrides the decision to refresh, for APIs that signal expiry their own way (a 403 with a
   * body code, a GraphQL 200 with `UNAUTHENTICATED`). Return `true` to refresh and replay,
   * `false` to leave the error alone, `undefined` for the default (a 401 whose challenge allows
   * it). Called for every error response, and for every 2xx when set: keep it synchronous and cheap.
   */
  shouldRefresh?: (error: AxiosError) => boolean | undefined
  /**
   * The request header that carries the access token, for APIs that want e.g. `X-Access-Token`.
   * It goes only where `Authorization` would (allowed origins), and is removed on a redirect or a
   * re-sent config to any other origin, as `Authorization` is.
   * @default 'Authorization'
   */
  header?: string
  /**
   * The scheme written before the token (`Token` gives `Token <t>`); `''` or `null` sends the raw
   * token alone, e.g. `X-Access-Token: <t>`. Unlike other options, `null` does not mean the default.
   * @default 'Bearer'
   */
  scheme?: string | null
  /**
   * How many of the requests released after a refresh (those held while it ran, and the replays
   * of the 401s that started it) may be in flight at once; the others wait their turn in arrival
   * order and go with the token current when it comes. Caps the burst an API sees after a
   * refresh that held thousands of requests.
   * @default Infinity (no cap)
   * @example
   * ```ts
   * createAuthClient({ refresh, replayConcurrency: 6 })
   * ```
   */
  replayConcurrency?: number
  /**
   * Sends the token as `Authorization: DPoP <token>` with a fresh proof on every request that
   * carries it; a `use_dpop_nonce` challenge is retried once with the server's nonce, no refresh.
   * Pass `dpop()` from `axios-reauth/dpop`.
   */
  dpop?: DpopProofFactory
  /**
   * Explains 401s: pass `diagnose` from `axios-reauth/diagnose` to enable `auth.diagnose()`,
   * `debug: true` and the `diagnosis` event. An opt-in import, so that apps that never diagnose
   * do not ship its messages.
   * @example
   * ```ts
   * import { diagnose } from 'axios-reauth/diagnose'
   * createAuthClient({ refresh, diagnose, debug: import.meta.env.DEV })
   * ```
   */
  diagnose?: Diagnoser
  /** Where a diagnosis of every 401 is logged, tokens redacted. `debug: true` uses `console`. */
  logger?: Logger
}
