import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios'
import { ConfigurationError } from '../core'
import type { SessionPort } from '../core/internal'
import { authHeader } from './auth-header'
import { createDpopSigner } from './dpop-signer'
import type { GlueOptions } from './glue-options'
import { createRequestHandler } from './on-request'
import { createResponseHandlers } from './on-response-error'
import { createOriginPolicy } from './origin-policy'
import type { RequestStamps } from './request-stamp'

function assertAxiosInstance(value: unknown): asserts value is AxiosInstance {
  const interceptors = (value as Partial<AxiosInstance> | null | undefined)?.interceptors
  if (typeof interceptors?.request?.use !== 'function' || typeof (value as AxiosInstance).request !== 'function') {
    throw new ConfigurationError('invalid-option', `attach() needs an axios instance (got ${value === null ? 'null' : typeof value}): pass the result of axios.create(), or axios itself.`)
  }
}

/**
 * Installs one request and one response interceptor on `instance`; returns a function that
 * removes both. A refresh call sent through this very instance with the refresh's `signal`, or
 * before the refresh function's first `await`, is left out before the interceptor runs
 * (`runWhen` is evaluated synchronously inside `instance.request()`); one sent after an `await`
 * without the signal is told by the refresh token it carries, in the interceptor (see
 * `isOwnRefreshCall`). `stamps` are the client's own marks on the requests it handles: a
 * request another client on the same instance handled is not this one's.
 */
export function attachSession(session: SessionPort, instance: unknown, options: GlueOptions, stamps: RequestStamps): () => void {
  assertAxiosInstance(instance)
  const policy = createOriginPolicy(instance.defaults?.baseURL, options.allowedOrigins)
  const header = authHeader(options)
  const runWhen = (config: InternalAxiosRequestConfig) => !session.isRefreshCall(config.signal as AbortSignal | undefined)
  const requestId = instance.interceptors.request.use(createRequestHandler(session, policy, stamps, header, options.dpop && createDpopSigner(options.dpop, stamps, header)), undefined, {
    synchronous: true,
    runWhen,
  })
  let attached = true
  const { onResponse, onError } = createResponseHandlers(session, instance, options, policy, stamps, () => attached, header)
  const responseId = instance.interceptors.response.use(onResponse, onError)
  return () => {
    if (!attached) return
    attached = false
    instance.interceptors.request.eject(requestId)
    instance.interceptors.response.eject(responseId)
  }
}
