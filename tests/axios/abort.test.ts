import axios from 'axios'
import { createAuthClient, RefreshFailedError, type RefreshResult } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'
import { API, protectedApi } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()

function setup(options: { refreshTimeoutMs?: number } = {}) {
  const api = protectedApi(new Set(['new']))
  server.use(api.handler)
  const pending = createDeferred<RefreshResult>()
  const signals: AbortSignal[] = []
  const called = createDeferred<void>()
  const refresh = vi.fn(({ signal }: { signal: AbortSignal }) => {
    signals.push(signal)
    called.resolve()
    return pending.promise
  })
  const auth = createAuthClient({ refresh, tokens: { accessToken: 'old', refreshToken: 'r1' }, ...options })
  const client = axios.create({ baseURL: API })
  auth.attach(client)
  return { api, auth, client, pending, refresh, signals, called: called.promise }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('aborts and timeouts', () => {
  it('rejects a held request at once with CanceledError when its signal aborts, and never sends it', async () => {
    const { api, auth, client, pending, called } = setup()
    const first = client.get('/first')
    await called
    expect(auth.status).toBe('refreshing')
    const controller = new AbortController()
    const held = client.get('/held', { signal: controller.signal })
    controller.abort()
    const error = await held.catch((e: unknown) => e)
    expect(axios.isCancel(error)).toBe(true)
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await first
    expect(api.calls.map((call) => call.path)).not.toContain('/held')
  })

  it('rejects a request waiting to be replayed at once with CanceledError, and never replays it', async () => {
    const { api, client, pending, called } = setup()
    const controller = new AbortController()
    const waiting = client.get('/waiting', { signal: controller.signal })
    await called
    controller.abort()
    expect(axios.isCancel(await waiting.catch((e: unknown) => e))).toBe(true)
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await client.get('/after')
    expect(api.calls.filter((call) => call.path === '/waiting')).toHaveLength(1)
  })

  it('turns a hung refresh into a transient failure after refreshTimeoutMs and aborts its signal', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { auth, client, signals, called } = setup({ refreshTimeoutMs: 5_000 })
    const request = client.get('/x').catch((e: unknown) => e)
    await called
    expect(signals).toHaveLength(1)
    expect(signals[0]?.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(5_000)
    const error = await request
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect((error as RefreshFailedError).message).toMatch(/did not settle within 5000 ms/)
    expect(signals[0]?.aborted).toBe(true)
    expect(auth.getTokens()?.refreshToken).toBe('r1')
    expect(auth.status).toBe('authenticated')
  })

  it('gives up on a hung refresh after 15 seconds by default', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const { client, refresh } = setup()
    let calledAt = 0
    const called = createDeferred<void>()
    refresh.mockImplementation(() => {
      calledAt = Date.now()
      called.resolve()
      return new Promise<never>(() => {})
    })
    let settled = false
    const request = client.get('/x').catch((e: unknown) => e).finally(() => (settled = true))
    await called.promise
    await vi.advanceTimersByTimeAsync(calledAt + 14_999 - Date.now())
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await request).toBeInstanceOf(RefreshFailedError)
  })
})

describe('signed out meanwhile', () => {
  it('rejects held requests when the app clears the tokens during a refresh', async () => {
    const { auth, client, called } = setup()
    const first = client.get('/first').catch((e: unknown) => e)
    await called
    expect(auth.status).toBe('refreshing')
    const held = client.get('/held').catch((e: unknown) => e)
    auth.clearTokens()
    expect(await first).toMatchObject({ code: 'login-required', reason: 'signed-out' })
    expect(await held).toMatchObject({ code: 'login-required', reason: 'signed-out' })
    expect(auth.status).toBe('unauthenticated')
  })

  it('releases held requests with tokens set by the app during a refresh', async () => {
    const { api, auth, client, called } = setup()
    const first = client.get('/first')
    await called
    expect(auth.status).toBe('refreshing')
    const held = client.get('/held')
    auth.setTokens({ accessToken: 'new', refreshToken: 'r9' })
    await Promise.all([first, held])
    expect(api.calls.filter((call) => call.path === '/held').map((call) => call.token)).toEqual(['new'])
  })
})

it('has no unhandled rejection when a refresh nobody awaits fails', async () => {
  server.use(http.get(`${API}/x`, () => HttpResponse.json({})))
  const auth = createAuthClient({ refresh: async () => Promise.reject(new Error('down')), tokens: { accessToken: 'a', refreshToken: 'r' } })
  await expect(auth.refresh()).rejects.toBeInstanceOf(RefreshFailedError)
})

it('keeps the tokens of a refresh that answers after its timeout, so the rotated refresh token is not lost', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  const late = createDeferred<RefreshResult>()
  const refresh = vi.fn(() => late.promise)
  const auth = createAuthClient({ refresh, refreshTimeoutMs: 1_000, tokens: { accessToken: 'old', refreshToken: 'r1' } })
  const failed = auth.refresh().catch((e: unknown) => e)
  await vi.advanceTimersByTimeAsync(1_000)
  expect(await failed).toBeInstanceOf(RefreshFailedError)
  late.resolve({ accessToken: 'late', refreshToken: 'r2' })
  await vi.advanceTimersByTimeAsync(0)
  expect(auth.getTokens()).toEqual({ accessToken: 'late', refreshToken: 'r2' })
})

it('drops the late answer of a timed-out refresh when newer tokens arrived meanwhile', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  const late = createDeferred<RefreshResult>()
  const auth = createAuthClient({ refresh: () => late.promise, refreshTimeoutMs: 1_000, tokens: { accessToken: 'old', refreshToken: 'r1' } })
  const failed = auth.refresh().catch((e: unknown) => e)
  await vi.advanceTimersByTimeAsync(1_000)
  await failed
  auth.setTokens({ accessToken: 'login', refreshToken: 'r9' })
  late.resolve({ accessToken: 'late', refreshToken: 'r2' })
  await vi.advanceTimersByTimeAsync(0)
  expect(auth.getTokens()).toEqual({ accessToken: 'login', refreshToken: 'r9' })
})

describe('CancelToken and timeout while held', () => {
  it('rejects a held request at once when its CancelToken is cancelled, and never sends it', async () => {
    const { api, auth, client, pending, called } = setup()
    const first = client.get('/first')
    await called
    expect(auth.status).toBe('refreshing')
    const source = axios.CancelToken.source()
    const held = client.get('/held', { cancelToken: source.token })
    source.cancel('user left the page')
    const error = await held.catch((e: unknown) => e)
    expect(axios.isCancel(error)).toBe(true)
    expect((error as Error).message).toBe('user left the page')
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await first
    expect(api.calls.map((call) => call.path)).not.toContain('/held')
  })

  it('rejects a request waiting to be replayed when its CancelToken is cancelled, and never replays it', async () => {
    const { api, auth, client, pending, called } = setup()
    const source = axios.CancelToken.source()
    const waiting = client.get('/waits', { cancelToken: source.token })
    await called
    source.cancel('gone')
    const error = await waiting.catch((e: unknown) => e)
    expect(axios.isCancel(error)).toBe(true)
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await auth.refresh()
    await client.get('/after')
    expect(api.calls.filter((call) => call.path === '/waits').map((call) => call.token)).toEqual(['old'])
  })

  it('rejects a held request with axios\'s timeout error when its timeout passes during the refresh', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const { api, auth, client, pending, called } = setup()
    const first = client.get('/first')
    await called
    expect(auth.status).toBe('refreshing')
    const held = client.get('/held', { timeout: 50 }).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(50)
    const error = await held
    expect(axios.isAxiosError(error) && [error.code, error.message]).toEqual(['ECONNABORTED', 'timeout of 50ms exceeded'])
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await first
    expect(api.calls.map((call) => call.path)).not.toContain('/held')
  })

  it('gives a released request only what is left of its timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const timeouts: Array<number | undefined> = []
    const { auth, pending, called } = setup()
    const client = axios.create({
      baseURL: API,
      adapter: async (config) => (timeouts.push(config.timeout), { data: {}, status: 200, statusText: 'OK', headers: {}, config }),
    })
    auth.attach(client)
    void auth.refresh().catch(() => undefined)
    await called
    const held = client.get('/held', { timeout: 1_000 })
    await vi.advanceTimersByTimeAsync(300)
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await held
    expect(timeouts).toEqual([700])
  })
})

