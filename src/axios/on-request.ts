import { AxiosHeaders, getAdapter, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios'
import type { ReplayLimit, SessionPort } from '../core/internal'
import type { OriginPolicy } from './origin-policy'
import { boundedByRequest, timeoutLeft } from './hold-bounds'
import type { AuthHeader } from './auth-header'
import type { DpopSigner } from './dpop-signer'
import { createRedirectGuard } from './redirect-guard'
import { isOwnRefreshCall } from './refresh-call'
import { RequestStamp, type RequestStamps } from './request-stamp'

type AdapterConfig = InternalAxiosRequestConfig['adapter']

/** What `Map` and `WeakMap` share: the wrappers made so far, by the adapter they wrap. */
interface WrapperCache<Adapter> {
  get(adapter: Adapter): AxiosAdapter | undefined
  set(adapter: Adapter, wrapper: AxiosAdapter): unknown
}

// What axios uses when neither the request nor the instance names an adapter.
const axiosDefaultAdapters = ['xhr', 'http', 'fetch']

/** Wraps adapters so that the token is written at the moment of sending. */
export interface SendTimeAdapters {
  /** The wrapper of `adapter` (a function, a name or a list of names), made once per adapter. */
  wrap(adapter: AdapterConfig): AxiosAdapter
  /** Whether `adapter` is one of this client's wrappers. */
  isWrapped(adapter: AdapterConfig): boolean
}

/**
 * Builds the send-time adapters of one instance. The token is written by a wrapper of the
 * adapter, after axios has merged and normalized the config, rather than by a request
 * interceptor: an app's request then costs what it costs without axios-reauth, plus a header.
 * A request that has to wait for a refresh waits inside the wrapper, so the token is read at
 * the very moment of sending and a held request can never leave with the token it was held for.
 *
 * A config can come back with this client's header on it (`api.request({ ...error.config,
 * baseURL: mirror })`, or with `skipAuth`): where the token may not go, the header this client
 * wrote is removed, with its stamp. A header the app set itself is left alone.
 */
export function createSendTimeAdapters(
  session: SessionPort,
  policy: OriginPolicy,
  stamps: RequestStamps,
  header: AuthHeader,
  isAttached: () => boolean,
  replayLimit?: ReplayLimit,
  sign?: DpopSigner,
): SendTimeAdapters {
  const { name } = header
  const lowerName = name.toLowerCase()
  const guardRedirects = createRedirectGuard(policy, name)
  const wrappers = new WeakSet<AxiosAdapter>()
  const isWrapped = (adapter: AdapterConfig): adapter is AxiosAdapter => typeof adapter === 'function' && wrappers.has(adapter)
  // Function and list adapters are keyed weakly; named ones ('xhr', 'fetch') by their name, and
  // no adapter at all (axios's defaults decide, as they would without axios-reauth) by `undefined`.
  const wrapperOfObject = new WeakMap<Exclude<AdapterConfig, string | undefined>, AxiosAdapter>()
  const wrapperOfName = new Map<Extract<AdapterConfig, string | undefined>, AxiosAdapter>()

  // Built once per token, not once per request: the header value (sanitized as axios would) and
  // the stamp of a first send, which no request changes.
  let current = { generation: -1, token: '', value: '', stamp: new RequestStamp(-1) }
  const currentFor = (token: string) => {
    if (current.generation !== session.generation || current.token !== token) {
      const value = String(new AxiosHeaders().set(name, header.valueFor(token)).get(name))
      current = { generation: session.generation, token, value, stamp: new RequestStamp(session.generation, value) }
    }
    return current
  }

  /** Writes the header as `headers.set()` would (any spelling of the name is replaced, `false` kept), without its per-call parsing. */
  const writeHeader = (headers: Record<string, unknown>, value: string) => {
    if (Object.hasOwn(headers, name)) {
      if (headers[name] === false) return
    } else {
      // A spelling of its own ('authorization') is rare; the lengths rule out most names at once.
      for (const key in headers) {
        if (key.length !== name.length || key.toLowerCase() !== lowerName || !Object.hasOwn(headers, key)) continue
        if (headers[key] === false) return
        delete headers[key]
      }
    }
    headers[name] = value
  }

  /** Removes the header `previous` says this client wrote; a value the app put there instead stays. */
  const removeOwnHeader = (config: InternalAxiosRequestConfig, previous: RequestStamp | undefined) => {
    if (previous?.wrote(config.headers.get(name))) config.headers.delete(name)
  }

  const unstamp = (config: InternalAxiosRequestConfig) => {
    const previous = stamps.read(config)
    if (!previous) return
    removeOwnHeader(config, previous)
    stamps.remove(config)
  }

  const stamp = (config: InternalAxiosRequestConfig, token = session.accessToken) => {
    const previous = stamps.read(config)
    if (token) {
      const now = currentFor(token)
      writeHeader(config.headers as unknown as Record<string, unknown>, now.value)
      guardRedirects(config)
      stamps.write(config, previous ? previous.carriedTo(now.stamp) : now.stamp)
      return
    }
    removeOwnHeader(config, previous)
    stamps.write(config, new RequestStamp(session.generation, undefined, previous?.replayed, previous?.nonceRetried))
  }

  // One reaction and one closure per held request, nothing more: a rejection needs no handler
  // here, since axios turns it into the CanceledError of an aborted request itself.
  const waitThenSend = (ready: Promise<unknown>, config: InternalAxiosRequestConfig, send: AxiosAdapter) => {
    const heldAt = (config.timeout ?? 0) > 0 ? session.clock.now() : undefined
    const sendNow = () => {
      // The wait counted against the request's timeout; the send gets what is left.
      if (heldAt !== undefined) config.timeout = timeoutLeft(config, session.clock.now() - heldAt)
      stamp(config)
      return send(config)
    }
    return boundedByRequest(ready, config, session.clock).then(replayLimit ? () => replayLimit(sendNow) : sendNow)
  }

  const create = (inner: AdapterConfig): AxiosAdapter => {
    const wrapper: AxiosAdapter = (config) => {
      const bare = typeof inner === 'function' ? inner : getAdapter(inner ?? axiosDefaultAdapters, config)
      if (!isAttached()) return bare(config)
      // The common request, with a steady session, needs none of the looks at a refresh below.
      const steadyToken = session.steadyToken
      const signal = config.signal as AbortSignal | undefined
      // The refresh's own call goes now and bare: it would wait behind itself, and its 401 is the refresh's to judge.
      if (steadyToken === undefined && session.isRefreshCall(signal)) return bare(config)
      if (config.skipAuth || !policy.allowsRequest(config) || (steadyToken === undefined && isOwnRefreshCall(session, config))) {
        unstamp(config)
        return bare(config)
      }
      // With DPoP, the send itself makes the proof (WebCrypto is asynchronous), for the token it carries.
      const send = sign ? sign(bare) : bare
      const ready = steadyToken === undefined ? session.whenReady(signal) : undefined
      if (!ready) {
        stamp(config, steadyToken ?? session.accessToken)
        return send(config)
      }
      return waitThenSend(ready, config, send)
    }
    wrappers.add(wrapper)
    return wrapper
  }

  /** The wrapper of `adapter` kept in `cache`, made on first use. */
  const wrapperIn = <Adapter extends AdapterConfig>(cache: WrapperCache<Adapter>, adapter: Adapter) => {
    let wrapper = cache.get(adapter)
    if (!wrapper) cache.set(adapter, (wrapper = create(adapter)))
    return wrapper
  }

  return {
    wrap(adapter) {
      if (isWrapped(adapter)) return adapter
      return typeof adapter === 'string' || adapter === undefined ? wrapperIn(wrapperOfName, adapter) : wrapperIn(wrapperOfObject, adapter)
    },
    isWrapped,
  }
}
