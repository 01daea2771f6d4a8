import type { ResolvedClientOptions } from '../core/session/options'

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
 * The token's header from the client's resolved `header` and `scheme` (the defaults,
 * `Authorization` and `Bearer` or `DPoP`, are filled in by `resolveClientOptions`);
 * `scheme: ''` writes the raw token.
 * @example
 * ```ts
 * authHeader({ header: 'X-Access-Token', scheme: '' }).valueFor('t') // 't'
 * ```
 */
export function authHeader({ header, scheme }: Pick<ResolvedClientOptions, 'header' | 'scheme'>): AuthHeader {
  return { name: header, scheme, valueFor: scheme === '' ? (token) => token : (token) => `${scheme} ${token}` }
}
