import { getAdapter, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios'
import type { SessionPort } from '../core/internal'
import type { OriginPolicy } from './origin-policy'
import { boundedByRequest, timeoutLeft } from './hold-bounds'
import type { AuthHeader } from './auth-header'
import type { DpopSigner } from './dpop-signer'
import { createRedirectGuard } from './redirect-guard'
import { isOwnRefreshCall } from './refresh-call'
import { toRequestError } from './request-error'
import { RequestStamp, type RequestStamps } from './request-stamp'

/**
 * Builds the request interceptor. It is synchronous so that the common case (a valid token,
 * no refresh running) adds no promise hop to every request. When the request has to wait for
 * a refresh, it swaps in an adapter that waits first: the token is then read at the very
 * moment of sending, so a held request can never leave with the token it was held for.
 *
 * A config can come back with this client's header on it (`api.request({ ...error.config,
 * baseURL: mirror })`, or with `skipAuth`): where the token may not go, the header this client
 * wrote is removed, with its stamp. A header the app set itself is left alone.
 */
export function createRequestHandler(session: SessionPort, policy: OriginPolicy, stamps: RequestStamps, header: AuthHeader, sign?: DpopSigner) {
  // Maps a waiting adapter back to the one it wraps, so a replay never wraps twice.
  const wrapped = new WeakMap<AxiosAdapter, InternalAxiosRequestConfig['adapter']>()
  const { name } = header
  const guardRedirects = createRedirectGuard(policy, name)

  // The header value is built once per token, not once per request.
  let headerFor = { generation: -1, value: '' }
  const authorization = (token: string) => {
    if (headerFor.generation !== session.generation) headerFor = { generation: session.generation, value: header.valueFor(token) }
    return headerFor.value
  }

  const unstamp = (config: InternalAxiosRequestConfig) => {
    const previous = stamps.read(config)
    if (!previous) return
    if (previous.wrote(config.headers.get(name))) config.headers.delete(name)
    stamps.remove(config)
  }

  const stamp = (config: InternalAxiosRequestConfig) => {
    const token = session.accessToken
    const previous = stamps.read(config)
    let header: string | undefined
    if (token) {
      header = authorization(token)
      config.headers.set(name, header)
      guardRedirects(config)
    } else if (previous?.wrote(config.headers.get(name))) {
      config.headers.delete(name)
    }
    stamps.write(config, new RequestStamp(session.generation, header, previous?.replayed, previous?.nonceRetried))
  }

  return (config: InternalAxiosRequestConfig): InternalAxiosRequestConfig => {
    const adapter = (typeof config.adapter === 'function' && wrapped.get(config.adapter)) || config.adapter
    config.adapter = adapter
    // The refresh's own call goes now and bare: it would wait behind itself, and its 401 is the refresh's to judge.
    if (config.skipAuth || !policy.allowsRequest(config) || isOwnRefreshCall(session, config)) {
      unstamp(config)
      return config
    }
    const ready = session.whenReady(config.signal as AbortSignal | undefined)
    if (!ready) {
      stamp(config)
      // With DPoP, the send itself makes the proof (WebCrypto is asynchronous).
      if (sign) wrapped.set((config.adapter = sign(getAdapter(adapter, config))), adapter)
      return config
    }
    // axios may cancel the request before the adapter runs; the rejection is then nobody's to handle.
    ready.catch(() => {})
    const send = sign ? sign(getAdapter(adapter, config)) : getAdapter(adapter, config)
    const heldAt = session.clock.now()
    const waitThenSend: AxiosAdapter = async (sendConfig) => {
      try {
        await boundedByRequest(ready, sendConfig, session.clock)
      } catch (error) {
        throw toRequestError(error, sendConfig)
      }
      // The wait counted against the request's timeout; the send gets what is left.
      sendConfig.timeout = timeoutLeft(sendConfig, session.clock.now() - heldAt)
      stamp(sendConfig)
      return send(sendConfig)
    }
    wrapped.set(waitThenSend, adapter)
    config.adapter = waitThenSend
    return config
  }
}
