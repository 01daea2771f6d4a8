import { ReauthError } from 'axios-reauth'
import { base64url, base64urlText } from './base64url'

/** The ES256 public key as it goes in a proof's `jwk` header: the members RFC 7638 hashes, nothing else. */
export interface PublicJwk {
  readonly kty: 'EC'
  readonly crv: 'P-256'
  readonly x: string
  readonly y: string
}

const ES256 = { name: 'ECDSA', namedCurve: 'P-256' } as const

/** WebCrypto, or a typed error that says where it exists (secure contexts only, in browsers). */
export function subtleCrypto(): SubtleCrypto {
  const subtle = (globalThis.crypto as Crypto | undefined)?.subtle
  if (!subtle) {
    throw new ReauthError('dpop-unavailable', 'DPoP could not make a proof: WebCrypto (crypto.subtle) is not available here, and browsers offer it on secure pages only. Serve the app over https (or localhost), or pass dpop({ proof }) with a signer of your own.')
  }
  return subtle
}

/**
 * A new ES256 key pair whose private key can never be exported: script on the page can sign
 * with it while it runs, but cannot carry it away.
 */
export function generateKeyPair(): Promise<CryptoKeyPair> {
  return subtleCrypto().generateKey(ES256, false, ['sign', 'verify']) as Promise<CryptoKeyPair>
}

/** The public half as a JWK (a public key is always exportable, whatever `extractable` says). */
export async function publicJwkOf(keyPair: CryptoKeyPair): Promise<PublicJwk> {
  const { x, y } = await subtleCrypto().exportKey('jwk', keyPair.publicKey)
  return { kty: 'EC', crv: 'P-256', x: x!, y: y! }
}

/** The JWK thumbprint (RFC 7638, SHA-256): what a DPoP-bound token's `cnf.jkt` names. */
export async function thumbprintOf(jwk: PublicJwk): Promise<string> {
  // The required members, in lexicographic order, without whitespace.
  const canonical = `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}","y":"${jwk.y}"}`
  return base64url(await subtleCrypto().digest('SHA-256', new TextEncoder().encode(canonical)))
}

/** Signs `header.payload` with the private key; WebCrypto's ECDSA signature is already JWS's r‖s form. */
export async function signJws(keyPair: CryptoKeyPair, header: object, payload: object): Promise<string> {
  const input = `${base64urlText(JSON.stringify(header))}.${base64urlText(JSON.stringify(payload))}`
  const signature = await subtleCrypto().sign({ name: 'ECDSA', hash: 'SHA-256' }, keyPair.privateKey, new TextEncoder().encode(input))
  return `${input}.${base64url(signature)}`
}
