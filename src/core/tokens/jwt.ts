import { jwtDecode } from 'jwt-decode'
import type { Tokens } from '../types'

/** The registered JWT claims axios-reauth reads, plus whatever else the token carries. */
export interface JwtClaims {
  /** Expiry, in epoch seconds. */
  exp?: number
  /** Not valid before, in epoch seconds. */
  nbf?: number
  /** Issued at, in epoch seconds. */
  iat?: number
  iss?: string
  sub?: string
  aud?: string | string[]
  [claim: string]: unknown
}

/**
 * Decodes a JWT's payload without verifying it (only the server can). Opaque and malformed
 * tokens give `undefined`: decoding never throws, so it is safe inside an interceptor.
 *
 * @param token - An access token, JWT or not.
 * @returns The claims, or `undefined` when the token is not a decodable JWT.
 * @example
 * ```ts
 * readClaims(auth.getTokens()?.accessToken)?.sub
 * ```
 */
export function readClaims(token: string | undefined): JwtClaims | undefined {
  if (!token || token.split('.').length !== 3) return undefined
  try {
    const claims = jwtDecode<JwtClaims>(token)
    return typeof claims === 'object' && claims !== null ? claims : undefined
  } catch {
    return undefined
  }
}

/** When the access token expires, in epoch ms: `expiresAt` from the token endpoint wins over the JWT's `exp`. */
export function expiryOf(tokens: Tokens | undefined, claims: JwtClaims | undefined): number | undefined {
  if (tokens?.expiresAt !== undefined) return tokens.expiresAt
  return typeof claims?.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined
}
