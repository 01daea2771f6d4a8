import { ConfigurationError, type JwtClaims } from 'axios-reauth'

/** Options of {@link fakeToken}. */
export interface FakeTokenOptions {
  /**
   * Seconds from `now` until the token's `exp`; negative for a token that has already expired.
   * @default 3600
   */
  expiresIn?: number
  /** Claims written into the payload; an `iat` or `exp` here wins over the computed one. @default {} */
  claims?: JwtClaims
  /** The time the token is issued at, in epoch milliseconds (pass your fake clock's). @default Date.now() */
  now?: number
}

// base64url of UTF-8 text, the same in browsers, Node, Deno and Bun (btoa is global in each).
function base64url(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * Makes an unsigned JWT whose `iat` is `now` and whose `exp` is `expiresIn` seconds later, for
 * an app's own tests. axios-reauth decodes tokens and never verifies them, so the client treats
 * this one as it would a real token: it refreshes it within `leewaySeconds` of `exp`, reads its
 * claims into `session.claims`, and `isExpiring` follows its lifetime. Never accept it on a real
 * server: its signature is the word `unsigned`.
 *
 * @param options - `expiresIn` (seconds), `claims`, and `now` for a fake clock.
 * @returns The token, `header.payload.unsigned`.
 * @throws ConfigurationError `invalid-option` when `expiresIn` or `now` is not a finite number, or `claims` is not an object.
 * @example
 * ```ts
 * const accessToken = fakeToken({ expiresIn: 60, claims: { sub: 'ada', roles: ['admin'] } })
 * auth.setTokens({ accessToken, refreshToken: 'refresh-1' })
 * ```
 */
export function fakeToken(options: FakeTokenOptions = {}): string {
  const { expiresIn = 3600, claims = {}, now = Date.now() } = options
  if (!Number.isFinite(expiresIn) || !Number.isFinite(now)) {
    throw new ConfigurationError('invalid-option', `fakeToken() was given expiresIn ${String(expiresIn)} and now ${String(now)}: pass finite numbers (seconds, and epoch milliseconds).`)
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new ConfigurationError('invalid-option', `fakeToken() was given claims of type ${Array.isArray(claims) ? 'array' : typeof claims}: pass an object such as { sub: 'ada' }.`)
  }
  const iat = Math.floor(now / 1000)
  const payload = { iat, exp: iat + Math.round(expiresIn), ...claims }
  return `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}.unsigned`
}
