import type { AxiosInstance } from 'axios'
import { ConfigurationError } from '../core'
import type { ReplayLimit, SessionPort } from '../core/internal'
import type { AuthHeader } from './auth-header'
import { createDpopSigner } from './dpop-signer'
import type { GlueOptions } from './glue-options'
import { createSendTimeAdapters } from './on-request'
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
 * Wraps the instance's adapter (see `createSendTimeAdapters`) and installs one response
 * interceptor, plus a request interceptor that only runs for requests with an adapter of their
 * own; returns a function that undoes all three. A refresh call sent through this very instance
 * with the refresh's `signal`, or before the refresh function's first `await`, goes bare; one
 * sent after an `await` without the signal is told by the refresh token it carries (see
 * `isOwnRefreshCall`). `stamps` are the client's own marks on the requests it handles: a
 * request another client on the same instance handled is not this one's. `header` is the
 * client's too: every instance writes the token the same way.
 */
export function attachSession(
  session: SessionPort,
  instance: unknown,
  options: GlueOptions,
  stamps: RequestStamps,
  header: AuthHeader,
  replayLimit?: ReplayLimit,
): () => void {
  assertAxiosInstance(instance)
  const policy = createOriginPolicy(instance.defaults?.baseURL, options.allowedOrigins)
  let attached = true
  const isAttached = () => attached
  const sign = options.dpop && createDpopSigner(options.dpop, stamps, header)
  const adapters = createSendTimeAdapters(session, policy, stamps, header, isAttached, replayLimit, sign)
  // The instance's own adapter is wrapped once, so its requests pass no request interceptor.
  const original = instance.defaults.adapter
  const wrapped = adapters.wrap(original)
  instance.defaults.adapter = wrapped
  // A request that brings its own adapter, or an instance whose adapter was replaced after
  // attach() (a mock adapter), gets that adapter wrapped here; every other request skips this.
  const requestId = instance.interceptors.request.use(
    (config) => {
      config.adapter = adapters.wrap(config.adapter)
      return config
    },
    undefined,
    { synchronous: true, runWhen: (config) => !adapters.isWrapped(config.adapter) },
  )
  const { onResponse, onError } = createResponseHandlers(session, instance, options, policy, stamps, isAttached, header, replayLimit)
  const responseId = instance.interceptors.response.use(onResponse, onError)
  return () => {
    if (!attached) return
    attached = false
    if (instance.defaults.adapter === wrapped) instance.defaults.adapter = original
    instance.interceptors.request.eject(requestId)
    instance.interceptors.response.eject(responseId)
  }
}
