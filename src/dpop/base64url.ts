/** Base64url without padding (RFC 7515 §2), the encoding of every JWS part. */
export function base64url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  let binary = ''
  for (const byte of view) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Base64url of a string's UTF-8 bytes. */
export const base64urlText = (text: string): string => base64url(new TextEncoder().encode(text))
