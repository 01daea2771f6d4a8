// Every client the benchmark compares, each built on a fresh axios instance around one
// in-memory server. A contender's `refresh` takes `refreshMs` (a timer, like a token endpoint
// on a fast network) and records when it started and when it handed out the new token.
import axios from 'axios'
import { createAuthRefreshInterceptor } from 'axios-auth-refresh'
import { pathToFileURL } from 'node:url'
import { installFailedQueueInterceptor } from '../peers/failed-queue.mjs'
import { installNaiveInterceptor } from '../peers/naive-interceptor.mjs'
import { BASE_URL } from './memory-server.mjs'

const library = await import(new URL('../../dist/index.js', import.meta.url).href)
// BENCH_CANDIDATE=path/to/index.js adds a row for another build of the library (a change under
// review, built to a file of its own), measured in the same rounds as dist/ for a paired comparison.
const candidate = process.env.BENCH_CANDIDATE ? await import(pathToFileURL(process.env.BENCH_CANDIDATE).href) : undefined

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The token endpoint of a contender: `refreshMs` of latency (a timer, like a fast network), or,
 * with `refreshMs: 'manual'`, as long as the caller wants (`release()`). Records how many
 * refreshes ran, when the last one started and when it handed out the new token.
 */
function createRefreshProbe(server, refreshMs) {
  let release
  const probe = {
    count: 0,
    startedAt: 0,
    doneAt: 0,
    async call() {
      probe.count++
      probe.startedAt = performance.now()
      if (refreshMs === 'manual') await new Promise((resolve) => (release = resolve))
      else await sleep(refreshMs)
      const token = server.issue()
      probe.doneAt = performance.now()
      return token
    },
    /** Ends a manual refresh. */
    release() {
      release?.()
      release = undefined
    },
  }
  return probe
}

const newInstance = (server) => axios.create({ baseURL: BASE_URL, adapter: server.adapter })

/** Bare axios: no interceptor at all. */
function bare(server) {
  return { instance: newInstance(server), refresh: createRefreshProbe(server, 0) }
}

/** The naive header interceptor (reference row of the happy path): no refresh logic. */
function naive(server) {
  const instance = newInstance(server)
  const token = server.token
  installNaiveInterceptor(instance, () => token)
  return { instance, refresh: createRefreshProbe(server, 0) }
}

/** axios-reauth, as its README wires it. */
const reauthFrom = ({ createAuthClient, silentLogger }) => function reauth(server, { refreshMs = 20 } = {}) {
  const refresh = createRefreshProbe(server, refreshMs)
  const instance = newInstance(server)
  const auth = createAuthClient({
    tokens: { accessToken: server.token, refreshToken: 'refresh-token' },
    refresh: async () => ({ accessToken: await refresh.call(), refreshToken: 'refresh-token' }),
    logger: silentLogger,
  })
  auth.attach(instance)
  return { instance, refresh, auth }
}

/** axios-auth-refresh 5, wired exactly as its README shows (token interceptor included). */
function authRefresh(server, { refreshMs = 20 } = {}) {
  const refresh = createRefreshProbe(server, refreshMs)
  const instance = newInstance(server)
  const storage = new Map([['token', server.token]])
  // README, "Request interceptor": read the token each time so stalled requests use the new one.
  const getAccessToken = () => storage.get('token')
  instance.interceptors.request.use((request) => {
    request.headers['Authorization'] = `Bearer ${getAccessToken()}`
    return request
  })
  // README, "Usage": the refresh logic stores the token and patches the failed request.
  const refreshAuthLogic = (failedRequest) =>
    refresh.call().then((token) => {
      storage.set('token', token)
      failedRequest.response.config.headers['Authorization'] = 'Bearer ' + token
      return Promise.resolve()
    })
  createAuthRefreshInterceptor(instance, refreshAuthLogic)
  return { instance, refresh }
}

/** The hand-written `isRefreshing` + `failedQueue` interceptor of the tutorials. */
function failedQueue(server, { refreshMs = 20 } = {}) {
  const refresh = createRefreshProbe(server, refreshMs)
  const instance = newInstance(server)
  const values = new Map([['token', server.token], ['refreshToken', 'refresh-token']])
  const storage = { getItem: (key) => values.get(key) ?? null, setItem: (key, value) => values.set(key, value) }
  installFailedQueueInterceptor(instance, {
    storage,
    refreshCall: async (refreshToken) => ({ data: { token: await refresh.call(), refreshToken } }),
  })
  return { instance, refresh }
}

/**
 * The lean floor: the least any hold-and-replay client can do through axios, and the reference
 * row of the 401 burst. A plain header store (one string, written straight onto the headers),
 * one shared refresh promise, no async function on the 401 path, and the replay through
 * `instance.request`. No bookkeeping, no safeguards: its cost is axios's own share of a burst.
 */
function floor(server, { refreshMs = 20, sendTime = false } = {}) {
  const refresh = createRefreshProbe(server, refreshMs)
  const instance = newInstance(server)
  let header = `Bearer ${server.token}`
  let refreshing
  if (sendTime) {
    const send = instance.defaults.adapter
    instance.defaults.adapter = (config) => {
      config.headers.Authorization = header
      return send(config)
    }
  } else {
    instance.interceptors.request.use((config) => {
      config.headers.Authorization = header
      return config
    }, undefined, { synchronous: true })
  }
  const renewed = (next) => {
    header = `Bearer ${next}`
    refreshing = undefined
  }
  instance.interceptors.response.use(undefined, (error) => {
    if (error.response?.status !== 401 || error.config.replayed) throw error
    refreshing ??= refresh.call().then(renewed)
    const { config } = error
    config.replayed = true
    return refreshing.then(() => instance.request(config))
  })
  return { instance, refresh }
}

/**
 * The send-time floor (reference row of the happy path): the lean floor, with the header written
 * by a wrapper of the instance's adapter instead of a request interceptor, as axios-reauth writes
 * it. The least a valid-token request can pay for a token written at send time.
 */
const sendTimeFloor = (server, options) => floor(server, { ...options, sendTime: true })

/** Every contender by key; `candidate` only when BENCH_CANDIDATE is set. */
export const contenders = {
  bare: { label: 'bare axios', create: bare },
  naive: { label: 'naive async interceptor', create: naive },
  floor: { label: 'lean floor (reference)', create: floor },
  sendTimeFloor: { label: 'send-time floor (reference)', create: sendTimeFloor },
  reauth: { label: 'axios-reauth', create: reauthFrom(library) },
  ...(candidate && { candidate: { label: 'axios-reauth (BENCH_CANDIDATE)', create: reauthFrom(candidate) } }),
  authRefresh: { label: 'axios-auth-refresh 5.0.2', create: authRefresh },
  failedQueue: { label: 'isRefreshing + failedQueue', create: failedQueue },
}

/** `keys`, with the candidate build right after `reauth` when there is one. */
export const withCandidate = (keys) => keys.flatMap((key) => (key === 'reauth' && contenders.candidate ? [key, 'candidate'] : [key]))
