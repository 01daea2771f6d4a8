import { ConfigurationError } from '../core/errors'
import type { AllowedOrigin } from '../core/origin/allow-list'

/** The `fetch` a glue sends with: the global one, or any function of the same shape. */
export type FetchFunction = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

/** Options of `createAuthFetch()` and `createKyHooks()`. */
export interface AuthFetchOptions {
  /**
   * The `fetch` that sends the requests. Looked up on `globalThis` at each call when left out,
   * so a `fetch` installed later (a polyfill, a test's interceptor) is the one used.
   * @default globalThis.fetch
   */
  fetch?: FetchFunction
  /**
   * Your API's base URL: its origin may receive the token, beside the page's own origin and
   * `allowedOrigins`. It does not prefix request URLs (fetch has no base URL; ky's `prefixUrl`
   * and ofetch's `baseURL` do that).
   */
  baseURL?: string
  /**
   * Origins, besides `baseURL`'s and the page's own, that may receive the token: exact origins
   * (`'https://files.example.com'`) or RegExps tested on the origin. A request anywhere else is
   * sent untouched, without the token, and its 401 never triggers a refresh.
   * @default []
   */
  allowedOrigins?: readonly AllowedOrigin[]
  /**
   * The scheme written before the token in `Authorization`; `''` sends the raw token.
   * @default 'Bearer'
   */
  scheme?: string
}

/** Per-request options of the auth fetch, beside `RequestInit`'s; they are not passed on to `fetch`. */
export interface AuthRequestInit extends RequestInit {
  /** Send this request as it is: no token, and its 401 never triggers a refresh. @default false */
  skipAuth?: boolean
  /**
   * Whether a request that got 401 may be sent again once the token is fresh. With `false`, it
   * rejects after the refresh with a `ReauthError` coded `replay-skipped` instead.
   * @default true
   */
  replay?: boolean
}

/** The options, checked, with the defaults in place. */
export interface ResolvedFetchOptions {
  readonly fetch: FetchFunction
  readonly baseURL: string | undefined
  readonly allowedOrigins: readonly AllowedOrigin[]
  readonly scheme: string
}

// An auth-scheme is an HTTP token (RFC 9110 §5.6.2).
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

const refuse = (name: string, got: unknown, fix: string): never => {
  throw new ConfigurationError('invalid-option', `createAuthFetch() refused ${name} (${got === null ? 'null' : typeof got}): ${fix}`)
}

/**
 * Checks the options of the fetch glue and fills in the defaults.
 * @throws ConfigurationError `invalid-option` naming the option and the fix.
 */
export function resolveFetchOptions(options: AuthFetchOptions | undefined): ResolvedFetchOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) refuse('its options', options, 'pass an object such as { allowedOrigins: [...] }, or leave them out.')
  const { fetch: send, baseURL, allowedOrigins = [], scheme = 'Bearer' } = options ?? {}
  if (send !== undefined && typeof send !== 'function') refuse('fetch', send, 'it must be a function with the shape of fetch. Pass e.g. { fetch: myFetch }, or leave it out for globalThis.fetch.')
  if (baseURL !== undefined && typeof baseURL !== 'string') refuse('baseURL', baseURL, "it must be a URL string. Pass e.g. baseURL: 'https://api.example.com'.")
  if (typeof scheme !== 'string' || (scheme !== '' && !HTTP_TOKEN.test(scheme))) refuse('scheme', scheme, "it must be an auth scheme such as 'Bearer', or '' for the raw token.")
  return {
    // Looked up per call, so that a fetch replaced after creation (an interceptor) is used.
    fetch: send ?? ((input, init) => globalThis.fetch(input, init)),
    baseURL,
    allowedOrigins,
    scheme,
  }
}
