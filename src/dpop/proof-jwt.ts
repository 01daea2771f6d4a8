import { base64url } from './base64url'
import { signJws, subtleCrypto, type PublicJwk } from './key-pair'

/** What one proof is made for. */
export interface ProofClaims {
  /** The HTTP method, upper case. */
  readonly method: string
  /** The absolute URL; its query and fragment are left out of `htu`. */
  readonly url: string
  /** The server's latest nonce for this origin, when it sent one. */
  readonly nonce: string | undefined
  /** The access token the request carries, hashed into `ath`; absent for a token request. */
  readonly accessToken: string | undefined
  /** Seconds since the epoch, for `iat`. */
  readonly issuedAt: number
}

/** `htu`: the URL without query and fragment (RFC 9449 §4.2). */
export function htuOf(url: string): string {
  const target = new URL(url)
  target.search = ''
  target.hash = ''
  return target.href
}

/** `ath`: base64url(SHA-256(ASCII access token)). */
export async function athOf(accessToken: string): Promise<string> {
  return base64url(await subtleCrypto().digest('SHA-256', new TextEncoder().encode(accessToken)))
}

/** 16 random bytes: a `jti` no server will see twice. */
const randomJti = (): string => base64url(globalThis.crypto.getRandomValues(new Uint8Array(16)))

/**
 * Builds and signs one DPoP proof JWT (RFC 9449 §4.2): header `typ: dpop+jwt`, `alg: ES256`,
 * `jwk`; claims `jti`, `htm`, `htu`, `iat`, and `ath` and `nonce` when there are any.
 * @example
 * ```ts
 * const proof = await buildProof(keyPair, jwk, { method: 'GET', url, nonce: undefined, accessToken, issuedAt: 1_700_000_000 })
 * ```
 */
export async function buildProof(keyPair: CryptoKeyPair, jwk: PublicJwk, claims: ProofClaims): Promise<string> {
  const payload: Record<string, string | number> = { jti: randomJti(), htm: claims.method.toUpperCase(), htu: htuOf(claims.url), iat: claims.issuedAt }
  if (claims.accessToken !== undefined) payload.ath = await athOf(claims.accessToken)
  if (claims.nonce !== undefined) payload.nonce = claims.nonce
  return signJws(keyPair, { typ: 'dpop+jwt', alg: 'ES256', jwk }, payload)
}
