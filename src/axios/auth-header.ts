import type { GlueOptions } from './glue-options'

/** Where and how the access token is written on a request. */
export interface AuthHeader {
  /** The header name, e.g. `Authorization` or `X-Access-Token`. */
  readonly name: string
  /** The scheme before the token; `''` for the raw token. */
  readonly scheme: string
  /** The header value for a token: `Bearer <t>`, `Token <t>`, or the raw token. */
  valueFor(token: string): string
}

/**
 * The token's header from the client's `header` and `scheme` options: `Authorization: Bearer <t>`
 * unless told otherwise; `scheme: ''` or `null` writes the raw token.
 * @example
 * ```ts
 * authHeader({ header: 'X-Access-Token', scheme: null }).valueFor('t') // 't'
 * ```
 */
export function authHeader(options: Pick<GlueOptions, 'header' | 'scheme'>): AuthHeader {
  const scheme = options.scheme === undefined ? 'Bearer' : (options.scheme ?? '')
  return {
    name: options.header ?? 'Authorization',
    scheme,
    valueFor: scheme === '' ? (token) => token : (token) => `${scheme} ${token}`,
  }
}
