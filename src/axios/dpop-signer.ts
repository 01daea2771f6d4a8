import { isAxiosError, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios'
import type { AuthHeader } from './auth-header'
import type { DpopProofFactory } from './glue-options'
import { fullPathOf } from './origin-policy'
import type { RequestStamps } from './request-stamp'

/** Wraps the adapter that sends a request, so that the send carries a DPoP proof made for it. */
export type DpopSigner = (send: AxiosAdapter) => AxiosAdapter

/** The URL axios sends to, absolute: relative ones resolve against the page, as the browser does. */
function targetOf(config: InternalAxiosRequestConfig): string | undefined {
  try {
    return new URL(fullPathOf(config), (globalThis as { location?: { href?: string } }).location?.href).href
  } catch {
    return undefined
  }
}

/**
 * Builds the signer of a client with DPoP. At the moment of sending (after a hold, for a replay,
 * for a nonce retry: every send), a request that carries this client's header gets a new proof
 * for its method, URL, and the very token in that header; any other request goes unchanged.
 * Every `DPoP-Nonce` a response brings, success or error, is remembered for its origin. The
 * proof is removed from the config once the request settles, so `error.config` never shows it.
 *
 * @example
 * ```ts
 * const sign = createDpopSigner(dpop, stamps, authHeader({ header: 'Authorization', scheme: 'DPoP' }))
 * config.adapter = sign(getAdapter(config.adapter, config))
 * ```
 */
export function createDpopSigner(dpop: DpopProofFactory, stamps: RequestStamps, header: AuthHeader): DpopSigner {
  const tokenIn = (config: InternalAxiosRequestConfig): string | undefined => {
    const value = config.headers.get(header.name)
    if (typeof value !== 'string' || !stamps.read(config)?.wrote(value)) return undefined
    return header.scheme === '' ? value : value.slice(header.scheme.length + 1)
  }

  const learn = (url: string, headers: unknown) => {
    const nonce = (headers as { get?: (name: string) => unknown } | undefined)?.get?.('dpop-nonce')
    if (typeof nonce === 'string' && nonce !== '') dpop.rememberNonce(url, nonce)
  }

  return (send) => async (config) => {
    const accessToken = tokenIn(config)
    // No URL without a token: a request without this client's header goes as it is.
    const url = accessToken === undefined ? undefined : targetOf(config)
    if (url === undefined) return send(config)
    config.headers.set('DPoP', await dpop.proof({ method: (config.method ?? 'get').toUpperCase(), url, accessToken }))
    try {
      const response = await send(config)
      learn(url, response.headers)
      return response
    } catch (error) {
      if (isAxiosError(error)) learn(url, error.response?.headers)
      throw error
    } finally {
      config.headers.delete('DPoP')
    }
  }
}
