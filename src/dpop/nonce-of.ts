type HeaderBag = { get?: (name: string) => unknown } & Record<string, unknown>

/**
 * The `DPoP-Nonce` a response carries, whatever made it: a fetch `Response` (or `Headers`), an
 * axios response, or an error with a `response` (axios's, ky's, ofetch's).
 */
export function nonceOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const holder = value as { headers?: unknown; response?: unknown }
  const headers = (holder.headers ?? (holder.response as { headers?: unknown } | undefined)?.headers) as HeaderBag | undefined
  if (typeof headers !== 'object' || headers === null) return undefined
  const nonce = typeof headers.get === 'function' ? headers.get('dpop-nonce') : (headers['dpop-nonce'] ?? headers['DPoP-Nonce'])
  return typeof nonce === 'string' && nonce !== '' ? nonce : undefined
}

/** A fetch `Response` that is not 2xx: fetch resolves with it where axios would reject. */
export const isFailedResponse = (value: unknown): boolean => typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false
