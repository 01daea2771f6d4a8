import axios, { AxiosError, type AxiosAdapter, type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import { ConfigurationError, createAuthClient, LoginRequiredError, type AuthClient, type RefreshContext, type RefreshResult } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'
import { carriesSecret } from '../../src/axios/refresh-call'
import { createDeferred } from '../../src/core/support/deferred'
import { createManualClock } from '../helpers/manual-clock'

const REFRESH_TIMEOUT_MS = 15_000

/** What the in-memory server saw of one send. */
interface Sent {
  path: string
  authorization: string | undefined
  csrf: string | undefined
}

/** Lets every promise chain that can settle without time passing settle (no clock moves). */
const settleWhatCan = () => new Promise<void>((resolve) => setImmediate(resolve))

type Outcome<T> = { status: 'pending' } | { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown }

/** The state of `promise` once everything that needs no time has run. */
async function outcomeNow<T>(promise: Promise<T>): Promise<Outcome<T>> {
  let outcome = { status: 'pending' } as Outcome<T>
  promise.then(
    (value) => (outcome = { status: 'fulfilled', value }),
    (reason: unknown) => (outcome = { status: 'rejected', reason }),
  )
  await settleWhatCan()
  return outcome
}

/**
 * An in-memory API: `/auth/refresh` answers `refreshAnswer` (new tokens by default), `/auth/csrf`
 * a CSRF token, everything else 200 for `Bearer new` and 401 otherwise. It answers at once, so
 * only a request that is held waits.
 */
function createApi(refreshAnswer: number = 200) {
  const sent: Sent[] = []
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const path = new URL(config.url ?? '', 'https://api.test').pathname
    const header = (name: string) => {
      const value = config.headers.get(name)
      return typeof value === 'string' ? value : undefined
    }
    sent.push({ path, authorization: header('Authorization'), csrf: header('X-CSRF-Token') })
    const respond = (status: number, data: unknown): AxiosResponse => {
      const response: AxiosResponse = { data, status, statusText: String(status), headers: {}, config, request: {} }
      if (status < 400) return response
      throw new AxiosError(`Request failed with status code ${status}`, AxiosError.ERR_BAD_REQUEST, config, {}, response)
    }
    if (path === '/auth/csrf') return respond(200, { csrf: 'c-1' })
    if (path === '/auth/refresh') return respond(refreshAnswer, refreshAnswer === 200 ? { access_token: 'new', refresh_token: 'r2' } : { error: 'invalid_grant' })
    if (header('Authorization') === 'Bearer new') return respond(200, { path })
    const unauthorized = respond(200, null)
    throw new AxiosError('Request failed with status code 401', AxiosError.ERR_BAD_REQUEST, config, {}, { ...unauthorized, status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
  }
  return { adapter, sent }
}

type SendRefresh = (api: AxiosInstance, context: RefreshContext) => Promise<RefreshResult>

function setup(sendRefresh: SendRefresh, options: { refreshAnswer?: number; cookie?: boolean } = {}) {
  const manual = createManualClock()
  const server = createApi(options.refreshAnswer)
  const api = axios.create({ baseURL: 'https://api.test', adapter: server.adapter })
  const onLoginRequired = vi.fn()
  const called = createDeferred<void>()
  const refresh = vi.fn((context: RefreshContext) => {
    called.resolve()
    return sendRefresh(api, context)
  })
  const auth: AuthClient = createAuthClient({
    refresh,
    onLoginRequired,
    clock: manual.clock,
    refreshTimeoutMs: REFRESH_TIMEOUT_MS,
    refreshTokenInCookie: options.cookie,
    tokens: options.cookie ? { accessToken: 'old' } : { accessToken: 'old', refreshToken: 'r1' },
  })
  auth.attach(api)
  return { api, auth, manual, refresh, called: called.promise, onLoginRequired, sent: server.sent }
}

const postRefresh = async (api: AxiosInstance, refreshToken: string | undefined, headers?: Record<string, string>) => {
  const { data } = await api.post('/auth/refresh', { refreshToken }, { headers })
  return { accessToken: data.access_token, refreshToken: data.refresh_token }
}

/** Starts a request that gets 401, then requests issued while its refresh runs. */
async function burst(api: AxiosInstance, called: Promise<void>) {
  const first = api.get('/first')
  await called
  const held = [api.get('/held/1'), api.get('/held/2')]
  return Promise.all([first, ...held])
}

describe('a refresh call sent through the attached instance after an await', () => {
  it.each<[string, (manual: ReturnType<typeof createManualClock>) => SendRefresh, (manual: ReturnType<typeof createManualClock>) => Promise<void>]>([
    ['a microtask', () => async (api, { refreshToken }) => {
      await Promise.resolve()
      return postRefresh(api, refreshToken)
    }, async () => {}],
    ['a timer', (manual) => async (api, { refreshToken }) => {
      await new Promise<void>((resolve) => manual.clock.setTimeout(resolve, 50))
      return postRefresh(api, refreshToken)
    }, (manual) => manual.advance(50)],
    ['a fetch of a CSRF token', () => async (api, { refreshToken }) => {
      const { data } = await axios.get('https://api.test/auth/csrf', { adapter: api.defaults.adapter })
      return postRefresh(api, refreshToken, { 'X-CSRF-Token': data.csrf })
    }, async () => {}],
  ])('is sent at once after %s, so the refresh settles well before refreshTimeoutMs', async (_, sendRefresh, letTimePass) => {
    let manual!: ReturnType<typeof createManualClock>
    const client = setup((api, context) => sendRefresh(manual)(api, context))
    manual = client.manual
    const all = burst(client.api, client.called)
    await client.called
    await letTimePass(manual)
    const outcome = await outcomeNow(all)
    expect(outcome.status).toBe('fulfilled')
    expect(client.refresh).toHaveBeenCalledTimes(1)
    expect(client.sent.filter((send) => send.path === '/auth/refresh')).toHaveLength(1)
    expect(client.auth.getTokens()).toMatchObject({ accessToken: 'new', refreshToken: 'r2' })
  })

  it('replays the request that got 401 and sends each held request once, with the new token', async () => {
    const { api, called, sent } = setup(async (api, { refreshToken }) => {
      await Promise.resolve()
      return postRefresh(api, refreshToken)
    })
    const all = burst(api, called)
    expect((await outcomeNow(all)).status).toBe('fulfilled')
    expect(sent.filter((send) => send.path === '/first').map((send) => send.authorization)).toEqual(['Bearer old', 'Bearer new'])
    for (const path of ['/held/1', '/held/2']) {
      expect(sent.filter((send) => send.path === path).map((send) => send.authorization)).toEqual(['Bearer new'])
    }
  })

  it('sends the refresh call without an Authorization header', async () => {
    const { api, called, sent } = setup(async (api, { refreshToken }) => {
      await Promise.resolve()
      return postRefresh(api, refreshToken)
    })
    await outcomeNow(burst(api, called))
    expect(sent.filter((send) => send.path === '/auth/refresh')).toEqual([{ path: '/auth/refresh', authorization: undefined, csrf: undefined }])
  })

  it.each<[string, (api: AxiosInstance, refreshToken: string) => Promise<unknown>]>([
    ['a form-encoded string body', (api, token) => api.post('/auth/refresh', `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}`)],
    ['a URLSearchParams body', (api, token) => api.post('/auth/refresh', new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }))],
    ['a FormData body', (api, token) => {
      const form = new FormData()
      form.append('refresh_token', token)
      return api.post('/auth/refresh', form)
    }],
    ['a nested JSON body', (api, token) => api.post('/auth/refresh', { grant: { type: 'refresh_token', tokens: [token] } })],
    ['the params', (api, token) => api.post('/auth/refresh', null, { params: { refresh_token: token } })],
    ['a header', (api, token) => api.post('/auth/refresh', null, { headers: { 'X-Refresh-Token': token } })],
  ])('recognises the refresh token in %s', async (_, send) => {
    const { api, called } = setup(async (api, { refreshToken }) => {
      await Promise.resolve()
      const { data } = (await send(api, refreshToken!)) as AxiosResponse
      return { accessToken: data.access_token, refreshToken: data.refresh_token }
    })
    expect((await outcomeNow(burst(api, called))).status).toBe('fulfilled')
  })

  it('leaves the 401 of the refresh call to the refresh function: the session ends once, with no second refresh', async () => {
    const { api, auth, refresh, called, onLoginRequired, sent } = setup(async (api, { refreshToken }) => {
      await Promise.resolve()
      return postRefresh(api, refreshToken)
    }, { refreshAnswer: 401 })
    const outcome = await outcomeNow(Promise.allSettled([burst(api, called)]).then(([result]) => result))
    expect(outcome.status).toBe('fulfilled')
    expect(outcome.status === 'fulfilled' && outcome.value.status === 'rejected' && outcome.value.reason).toBeInstanceOf(LoginRequiredError)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(sent.filter((send) => send.path === '/auth/refresh')).toHaveLength(1)
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
    expect(onLoginRequired).toHaveBeenCalledWith(expect.objectContaining({ reason: 'refresh-rejected' }))
    expect(auth.status).toBe('unauthenticated')
  })

  it('keeps the session when the refresh function turns the refresh call’s 401 into a passing failure', async () => {
    const { api, auth, refresh, onLoginRequired } = setup(async (api, { refreshToken }) => {
      await Promise.resolve()
      try {
        return await postRefresh(api, refreshToken)
      } catch {
        throw new Error('token endpoint busy')
      }
    }, { refreshAnswer: 401 })
    const first = api.get('/first').catch((error: unknown) => error)
    const outcome = await outcomeNow(first)
    expect(outcome.status === 'fulfilled' && outcome.value).toMatchObject({ code: 'refresh-failed' })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(onLoginRequired).not.toHaveBeenCalled()
    expect(auth.getTokens()).toMatchObject({ refreshToken: 'r1' })
  })

  it('stamps a request that carries the refresh token when no refresh runs', async () => {
    const { api, sent } = setup(async () => ({ accessToken: 'unused' }))
    await api.post('/profile', { note: 'r1' }).catch(() => {})
    expect(sent[0]).toMatchObject({ path: '/profile', authorization: 'Bearer old' })
  })
})

describe('in cookie mode, where no refresh token tells the refresh call apart', () => {
  const selfWaiting: SendRefresh = async (api) => {
    await Promise.resolve()
    return postRefresh(api, undefined)
  }

  it('fails the refresh with a ConfigurationError naming the fix when it times out while requests sent during it are held', async () => {
    const { api, auth, manual, called, onLoginRequired } = setup(selfWaiting, { cookie: true })
    const failures: unknown[] = []
    auth.on('refresh:failure', ({ error }) => failures.push(error))
    const first = api.get('/first').catch((error: unknown) => error)
    await called
    await manual.advance(REFRESH_TIMEOUT_MS)
    const error = await first
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(failures).toEqual([error])
    expect((error as ConfigurationError).message).toMatch(/^\[axios-reauth\] The token refresh timed out after 15000 ms while 1 request sent during it was held: .*signal.*skipAuth: true/)
    expect((error as ConfigurationError).cause).toMatchObject({ name: 'RefreshTimeoutError' })
    expect(onLoginRequired).not.toHaveBeenCalled()
    expect(auth.getTokens()).toMatchObject({ accessToken: 'old' })
  })

  it('settles at once when the refresh call passes the signal', async () => {
    const { api, called } = setup(async (api, { signal }) => {
      await Promise.resolve()
      const { data } = await api.post('/auth/refresh', null, { signal })
      return { accessToken: data.access_token }
    }, { cookie: true })
    expect((await outcomeNow(burst(api, called))).status).toBe('fulfilled')
  })

  it('still fails a refresh that times out with no request held as a passing failure', async () => {
    const { api, manual, called } = setup(() => new Promise<never>(() => {}), { cookie: true })
    const first = api.get('/first').catch((error: unknown) => error)
    await called
    await manual.advance(REFRESH_TIMEOUT_MS)
    expect(await first).toMatchObject({ code: 'refresh-failed', retryable: true })
  })
})

describe('carriesSecret', () => {
  const config = (parts: Partial<InternalAxiosRequestConfig>) => ({ headers: new axios.AxiosHeaders(), ...parts }) as InternalAxiosRequestConfig

  it.each<[string, Partial<InternalAxiosRequestConfig>]>([
    ['a JSON body at depth', { data: { a: [{ b: { refresh_token: 'tok+/en=' } }] } }],
    ['a JSON string body', { data: '{"refresh_token":"tok+/en="}' }],
    ['a form-encoded string body', { data: 'grant_type=refresh_token&refresh_token=tok%2B%2Fen%3D' }],
    ['URLSearchParams', { data: new URLSearchParams({ refresh_token: 'tok+/en=' }) }],
    ['the query of the URL', { url: `/auth/refresh?refresh_token=${encodeURIComponent('tok+/en=')}` }],
    ['params', { params: { refresh_token: 'tok+/en=' } }],
    ['a header value', { headers: new axios.AxiosHeaders({ Authorization: 'Bearer tok+/en=' }) }],
  ])('finds the secret in %s', (_, parts) => {
    expect(carriesSecret(config(parts), 'tok+/en=')).toBe(true)
  })

  it('finds the secret in a FormData body', () => {
    const form = new FormData()
    form.append('file', new Blob(['tok+/en=']))
    form.append('refresh_token', 'tok+/en=')
    expect(carriesSecret(config({ data: form }), 'tok+/en=')).toBe(true)
  })

  it.each<[string, Partial<InternalAxiosRequestConfig>]>([
    ['inside a longer token', { data: { id: 'xr1x', path: '/r1', other: 'r1-2' } }],
    ['in a binary body', { data: new Blob(['r1']) }],
    ['in a number', { data: { n: 1 } }],
  ])('does not find the secret %s', (_, parts) => {
    expect(carriesSecret(config(parts), 'r1')).toBe(false)
  })

  it('reads a body that refers to itself once', () => {
    const body: Record<string, unknown> = { note: 'nothing here' }
    body.self = body
    expect(carriesSecret(config({ data: body }), 'r1')).toBe(false)
  })

  it('never finds an empty secret', () => {
    expect(carriesSecret(config({ data: '' }), '')).toBe(false)
  })
})
