/** The last `DPoP-Nonce` each origin sent, for the next proof to that origin. */
export interface NonceStore {
  /** The nonce remembered for the origin of `url`, if any. */
  get(url: string): string | undefined
  /** Remembers `nonce` for the origin of `url`; a URL that does not parse is ignored. */
  set(url: string, nonce: string): void
}

const originOf = (url: string): string | undefined => {
  try {
    const { origin } = new URL(url)
    return origin === 'null' ? undefined : origin
  } catch {
    return undefined
  }
}

/**
 * Creates a nonce store. Nonces are kept per origin (RFC 9449 §8: a server's nonce is for
 * proofs sent to it), so the token endpoint's nonce never goes to the API, nor the other way.
 * @example
 * ```ts
 * const nonces = createNonceStore()
 * nonces.set('https://api.example.com/me', 'n1')
 * nonces.get('https://api.example.com/orders') // 'n1'
 * ```
 */
export function createNonceStore(): NonceStore {
  const nonces = new Map<string, string>()
  return {
    get: (url) => {
      const origin = originOf(url)
      return origin === undefined ? undefined : nonces.get(origin)
    },
    set: (url, nonce) => {
      const origin = originOf(url)
      if (origin !== undefined) nonces.set(origin, nonce)
    },
  }
}
