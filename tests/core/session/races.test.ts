import axios from 'axios'
import { createAuthClient, crossTab, scheduledRefresh, webStorage, type AuthClientOptions, type RefreshResult, type TokenStorage, type Tokens } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../../src/core/support/deferred'
import { createManualClock } from '../../helpers/manual-clock'
import { settle, stubBrowserPage } from '../../helpers/tab-globals'

const quiet = () => ({ debug: vi.fn(), warn: vi.fn() })

/** An axios instance whose adapter answers 401 to `refused` tokens and records every send. */
function fakeApi(refused: (token: string | undefined) => boolean) {
  const sent: Array<string | undefined> = []
  const api = axios.create({
    baseURL: 'https://api.test',
    adapter: async (config) => {
      const token = (config.headers.Authorization as string | undefined)?.replace(/^Bearer /, '')
      sent.push(token)
      const status = refused(token) ? 401 : 200
      const response = { data: {}, status, statusText: String(status), headers: {}, config }
      if (status === 401) throw new axios.AxiosError('401', 'ERR_BAD_REQUEST', config, undefined, response)
      return response
    },
  })
  return { api, sent }
}

describe('sign-outs that a refresh in flight must not undo', () => {
  it('stores and broadcasts nothing from a cross-tab refresh that a sign-out abandoned', async () => {
    const page = stubBrowserPage()
    const pending = createDeferred<RefreshResult>()
    const options = (refresh: AuthClientOptions['refresh']): AuthClientOptions => ({ refresh, storage: webStorage(page.localStorage, 'session'), logger: quiet() })
    page.localStorage.setItem('session', JSON.stringify({ accessToken: 'a1', refreshToken: 'r1' }))
    const tab = createAuthClient(options(() => pending.promise))
    const otherTab = createAuthClient(options(async () => ({ accessToken: 'never' })))
    const refreshing = tab.refresh().catch((error: unknown) => error)
    await settle()
    tab.clearTokens()
    await settle()
    expect(otherTab.getTokens()).toBeUndefined()
    pending.resolve({ accessToken: 'a2', refreshToken: 'r2' })
    await refreshing
    await settle()
    expect(page.localStorage.getItem('session')).toBeNull()
    expect(otherTab.getTokens()).toBeUndefined()
    const reloaded = createAuthClient(options(async () => ({ accessToken: 'never' })))
    expect(reloaded.getTokens()).toBeUndefined()
  })

  it('never revives a cookie-mode session signed out while its refresh was in flight', async () => {
    const pending = createDeferred<RefreshResult>()
    const auth = createAuthClient({ refresh: () => pending.promise, refreshTokenInCookie: true })
    const refreshing = auth.refresh().catch((error: unknown) => error)
    auth.clearTokens()
    pending.resolve({ accessToken: 'late' })
    expect(await refreshing).toMatchObject({ code: 'login-required', reason: 'signed-out' })
    await settle()
    expect(auth.getTokens()).toBeUndefined()
    expect(auth.status).toBe('unauthenticated')
  })

  it('never revives a cookie-mode session through a refresh that answers after its timeout', async () => {
    const manual = createManualClock()
    const late = createDeferred<RefreshResult>()
    let calls = 0
    const auth = createAuthClient({ refresh: () => (calls++ === 0 ? late.promise : Promise.reject(Object.assign(new Error('no'), { response: { status: 401 } }))), refreshTokenInCookie: true, clock: manual.clock, refreshTimeoutMs: 1_000 })
    const first = auth.refresh().catch((error: unknown) => error)
    manual.advance(1_000)
    expect(await first).toMatchObject({ code: 'refresh-failed' })
    await expect(auth.refresh()).rejects.toMatchObject({ reason: 'refresh-rejected' })
    late.resolve({ accessToken: 'revived' })
    await settle()
    expect(auth.getTokens()).toBeUndefined()
  })
})

describe('a new tab that has no tokens yet', () => {
  it('signs no other tab out when it calls refresh() while it still asks them for tokens', async () => {
    const page = stubBrowserPage()
    const signedIn = createAuthClient({ refresh: async () => ({ accessToken: 'never' }), crossTab: crossTab({ name: 'app' }), tokens: { accessToken: 'a1', refreshToken: 'r1' }, logger: quiet() })
    const refresh = vi.fn(async ({ refreshToken }: { refreshToken?: string }) => ({ accessToken: `from-${refreshToken}`, refreshToken: 'r2' }))
    const newTab = createAuthClient({ refresh, crossTab: crossTab({ name: 'app', askTimeoutMs: 1_000 }), logger: quiet() })
    const refreshed = await newTab.refresh()
    await settle()
    expect(signedIn.getTokens()?.accessToken).not.toBeUndefined()
    expect(refresh).toHaveBeenCalledWith(expect.objectContaining({ refreshToken: 'r1' }))
    expect(refreshed.accessToken).toBe('from-r1')
    expect(page.localStorage.written).toEqual([])
  })
})

describe('an asynchronous storage', () => {
  function slowStorage(stored: Tokens | undefined) {
    const load = createDeferred<Tokens | undefined>()
    const storage: TokenStorage & { cleared: number } = { cleared: 0, get: () => load.promise, set: vi.fn(), clear: () => void (storage.cleared += 1) }
    return { storage, load: () => load.resolve(stored) }
  }

  it('keeps a sign-out made while it loads: storage cleared, the loaded tokens dropped', async () => {
    const { storage, load } = slowStorage({ accessToken: 'stored', refreshToken: 'r' })
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'never' }), storage })
    auth.clearTokens()
    load()
    await settle()
    expect(auth.getTokens()).toBeUndefined()
    expect(storage.cleared).toBeGreaterThan(0)
  })

  it('lets tokens set while it loads win, and releases the requests waiting for it', async () => {
    const storage: TokenStorage = { get: () => new Promise(() => {}), set: vi.fn(), clear: vi.fn() }
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'never' }), storage })
    const { api, sent } = fakeApi(() => false)
    auth.attach(api)
    const request = api.get('/me')
    await settle()
    expect(sent).toEqual([])
    auth.setTokens({ accessToken: 'login', refreshToken: 'r' })
    await request
    expect(sent).toEqual(['login'])
    expect(auth.status).toBe('authenticated')
  })

  it('stops waiting for a storage that never answers, and says so', async () => {
    const manual = createManualClock()
    const logger = quiet()
    const storage: TokenStorage = { get: () => new Promise(() => {}), set: vi.fn(), clear: vi.fn() }
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'never' }), storage, clock: manual.clock, refreshTimeoutMs: 2_000, logger })
    const { api, sent } = fakeApi(() => false)
    auth.attach(api)
    const request = api.get('/public')
    manual.advance(2_000)
    await request
    expect(sent).toEqual([undefined])
    expect(auth.status).toBe('unauthenticated')
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('did not answer'))
  })

  it('refreshes with the loaded tokens when refresh() is called while it loads', async () => {
    const { storage, load } = slowStorage({ accessToken: 'stored', refreshToken: 'r-stored' })
    const onLoginRequired = vi.fn()
    const refresh = vi.fn(async () => ({ accessToken: 'fresh', refreshToken: 'r2' }))
    const auth = createAuthClient({ refresh, storage, onLoginRequired })
    const refreshing = auth.refresh()
    load()
    await expect(refreshing).resolves.toMatchObject({ accessToken: 'fresh' })
    expect(refresh).toHaveBeenCalledWith(expect.objectContaining({ refreshToken: 'r-stored' }))
    expect(onLoginRequired).not.toHaveBeenCalled()
  })
})

describe('refreshing ahead of expiry never loops', () => {
  const NOW = Date.UTC(2026, 10, 25, 12, 0, 0)
  const jwt = (claims: Record<string, unknown>) => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`

  it('refreshes 20 s tokens every 10 s with the default 30 s leeway, not on every request', async () => {
    const manual = createManualClock(NOW)
    const issue = () => ({ accessToken: jwt({ iat: Math.floor(manual.clock.now() / 1000), exp: Math.floor(manual.clock.now() / 1000) + 20 }), refreshToken: 'r' })
    const refresh = vi.fn(async () => issue())
    const auth = createAuthClient({ refresh, tokens: issue(), clock: manual.clock, scheduleRefresh: scheduledRefresh({ wakeEvents: () => () => {} }) })
    const { api } = fakeApi(() => false)
    auth.attach(api)
    for (let second = 0; second < 60; second++) {
      await api.get('/tick')
      manual.advance(1_000)
      await settle()
    }
    expect(refresh.mock.calls.length).toBeGreaterThanOrEqual(5)
    expect(refresh.mock.calls.length).toBeLessThanOrEqual(7)
  })

  it('trusts a just-issued token over a Date header hours ahead', async () => {
    const manual = createManualClock(NOW)
    const issue = () => ({ accessToken: jwt({ exp: Math.floor(manual.clock.now() / 1000) + 3600 }), refreshToken: 'r' })
    const refresh = vi.fn(async () => issue())
    const auth = createAuthClient({ refresh, tokens: issue(), clock: manual.clock })
    const ahead = new Date(NOW + 5 * 3600_000).toUTCString()
    const api = axios.create({ baseURL: 'https://api.test', adapter: async (config) => ({ data: {}, status: 200, statusText: 'OK', headers: { date: ahead }, config }) })
    auth.attach(api)
    for (let i = 0; i < 50; i++) await api.get('/x')
    expect(refresh.mock.calls.length).toBeLessThanOrEqual(1)
  })

  it('backs off when the token endpoint issues tokens that are already due', async () => {
    const manual = createManualClock(NOW)
    const refresh = vi.fn(async () => ({ accessToken: jwt({ exp: Math.floor(manual.clock.now() / 1000) + 5 }), refreshToken: 'r' }))
    const auth = createAuthClient({ refresh, tokens: { accessToken: jwt({ exp: Math.floor(NOW / 1000) + 5 }), refreshToken: 'r' }, clock: manual.clock })
    const { api } = fakeApi(() => false)
    auth.attach(api)
    for (let step = 0; step < 100; step++) {
      await api.get('/x')
      manual.advance(100)
      await settle()
    }
    // 10 s of requests every 100 ms: a refresh at once, then after 1, 2, 4 s… not 100.
    expect(refresh.mock.calls.length).toBeLessThanOrEqual(5)
  })
})

describe('detach() during a refresh', () => {
  it('replays the waiting request with the new token, not the refused one', async () => {
    const pending = createDeferred<RefreshResult>()
    const auth = createAuthClient({ refresh: () => pending.promise, tokens: { accessToken: 'old', refreshToken: 'r' } })
    const { api, sent } = fakeApi((token) => token === 'old')
    const detach = auth.attach(api)
    const request = api.get('/x').catch((error: unknown) => error)
    await settle()
    detach()
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await request
    expect(sent).toEqual(['old', 'new'])
  })
})

describe('a visitor who never signed in', () => {
  it('gets onLoginRequired with no-session for a 401, once, told apart from an ended session', async () => {
    const onLoginRequired = vi.fn()
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'never' }), onLoginRequired })
    const { api } = fakeApi(() => true)
    auth.attach(api)
    const errors = await Promise.all([api.get('/a').catch((e: unknown) => e), api.get('/b').catch((e: unknown) => e)])
    expect(errors).toMatchObject([{ reason: 'no-session' }, { reason: 'no-session' }])
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
    expect(onLoginRequired).toHaveBeenCalledWith(expect.objectContaining({ reason: 'no-session' }))
  })
})

describe('dispose() while restoring', () => {
  it('settles a refresh() waiting for the restore and leaves no timer behind', async () => {
    const manual = createManualClock()
    const storage: TokenStorage = { get: () => new Promise(() => {}), set: vi.fn(), clear: vi.fn() }
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'never' }), storage, clock: manual.clock })
    const refreshing = auth.refresh().catch((error: unknown) => error)
    expect(manual.pendingTimers).toBe(1)
    auth.dispose()
    expect(await refreshing).toMatchObject({ code: 'disposed' })
    expect(manual.pendingTimers).toBe(0)
  })
})
