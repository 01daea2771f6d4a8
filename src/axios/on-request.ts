import { getAdapter, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios'
import type { Session } from '../core'
import { toRequestError } from './request-error'
import { readStamp, writeStamp } from './replay-marker'

/**
 * Builds the request interceptor. It is synchronous so that the common case (a valid token,
 * no refresh running) adds no promise hop to every request. When the request has to wait for
 * a refresh, it swaps in an adapter that waits first: the token is then read at the very
 * moment of sending, so a held request can never leave with the token it was held for.
 */
export function createRequestHandler(session: Session, isAllowed: (config: InternalAxiosRequestConfig) => boolean) {
  // Maps a waiting adapter back to the one it wraps, so a replay never wraps twice.
  const wrapped = new WeakMap<AxiosAdapter, InternalAxiosRequestConfig['adapter']>()

  // The header value is built once per token, not once per request.
  let headerFor = { generation: -1, value: '' }
  const authorization = (token: string) => {
    if (headerFor.generation !== session.generation) headerFor = { generation: session.generation, value: `Bearer ${token}` }
    return headerFor.value
  }

  const stamp = (config: InternalAxiosRequestConfig) => {
    const token = session.accessToken
    if (token) config.headers.set('Authorization', authorization(token))
    else if (readStamp(config)?.stamped) config.headers.delete('Authorization')
    writeStamp(config, session.generation, Boolean(token))
  }

  return (config: InternalAxiosRequestConfig): InternalAxiosRequestConfig => {
    const adapter = (typeof config.adapter === 'function' && wrapped.get(config.adapter)) || config.adapter
    config.adapter = adapter
    if (!isAllowed(config)) return config
    const ready = session.whenReady(config.signal as AbortSignal | undefined)
    if (!ready) {
      stamp(config)
      return config
    }
    // axios may cancel the request before the adapter runs; the rejection is then nobody's to handle.
    ready.catch(() => {})
    const send = getAdapter(adapter, config)
    const waitThenSend: AxiosAdapter = async (sendConfig) => {
      try {
        await ready
      } catch (error) {
        throw toRequestError(error, sendConfig)
      }
      stamp(sendConfig)
      return send(sendConfig)
    }
    wrapped.set(waitThenSend, adapter)
    config.adapter = waitThenSend
    return config
  }
}
