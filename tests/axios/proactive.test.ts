import axios from 'axios'
import { createAuthClient, type RefreshResult } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'
import { API, bearerOf } from '../helpers/api'
import { fakeJwt } from '../helpers/jwt'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0)
const at = (secondsFromNow: number) => Math.floor(NOW / 1000) + secondsFromNow
const jwtExpiringIn = (seconds: number, name = 'old') => fakeJwt({ sub: name, exp: at(seconds) })

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(NOW)
})
afterEach(() => {
  vi.useRealTimers()
})

/** An API that accepts every token and answers with the server's Date, skewed if asked. */
function acceptingApi(serverSkewMs = 0) {
  const seen: Array<string | undefined> = []
  server.use(
    http.get(`${API}/*`, ({ request }) => {
      seen.push(bearerOf(request))
      return HttpResponse.json({}, { headers: { Date: new Date(Date.now() + serverSkewMs).toUTCString() } })
    }),
  )
  return seen
}

function client(accessToken: string, options: Partial<Parameters<typeof createAuthClient>[0]> = {}) {
  const refresh = vi.fn(async (): Promise<RefreshResult> => ({ accessToken: jwtExpiringIn(3600, 'new'), refreshToken: 'r2' }))
  const auth = createAuthClient({ refresh, tokens: { accessToken, refreshToken: 'r1' }, ...options })
  const api = axios.create({ baseURL: API })
  auth.attach(api)
  return { auth, api, refresh }
}

describe('refresh before expiry', () => {
  it('refreshes before sending a token that expires within the leeway, so the server sees no expired token', async () => {
    const seen = acceptingApi()
    const { api, refresh } = client(jwtExpiringIn(20))
    await Promise.all([api.get('/a'), api.get('/b'), api.get('/c')])
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(seen).toEqual([jwtExpiringIn(3600, 'new'), jwtExpiringIn(3600, 'new'), jwtExpiringIn(3600, 'new')])
  })

  it('sends a token outside the leeway as it is', async () => {
    const seen = acceptingApi()
    const { api, refresh } = client(jwtExpiringIn(31))
    await api.get('/a')
    expect(refresh).not.toHaveBeenCalled()
    expect(seen).toEqual([jwtExpiringIn(31)])
  })

  it('honours a custom leewaySeconds', async () => {
    acceptingApi()
    const { api, refresh } = client(jwtExpiringIn(100), { leewaySeconds: 120 })
    await api.get('/a')
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it.each([
    ['an opaque token', 'opaque-token-value'],
    ['a malformed JWT', 'aaa.%%%.ccc'],
    ['a JWT without exp', fakeJwt({ sub: 'x' })],
    ['a JWT whose payload is not JSON', `${Buffer.from('{}').toString('base64url')}.${Buffer.from('not json').toString('base64url')}.s`],
  ])('sends %s without trying to refresh ahead', async (_, token) => {
    const seen = acceptingApi()
    const { api, refresh } = client(token)
    await api.get('/a')
    expect(refresh).not.toHaveBeenCalled()
    expect(seen).toEqual([token])
  })

  it('uses expiresIn from the token endpoint for opaque tokens', async () => {
    const seen = acceptingApi()
    const refresh = vi.fn(async () => ({ accessToken: `opaque-${refresh.mock.calls.length}`, refreshToken: 'r', expiresIn: 60 }))
    const auth = createAuthClient({ refresh, tokens: { accessToken: 'opaque-0', refreshToken: 'r', expiresAt: NOW + 10_000 } })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    await api.get('/a')
    expect(auth.getTokens()?.expiresAt).toBe(NOW + 60_000)
    vi.setSystemTime(NOW + 20_000)
    await api.get('/b')
    vi.setSystemTime(NOW + 31_000)
    await api.get('/c')
    expect(seen).toEqual(['opaque-1', 'opaque-1', 'opaque-2'])
  })

  it('costs one refresh when a request ahead of expiry and a 401 meet', async () => {
    const pending = createDeferred<RefreshResult>()
    const refresh = vi.fn(() => pending.promise)
    const answered401 = createDeferred<void>()
    server.use(
      http.get(`${API}/*`, ({ request }) => {
        if (bearerOf(request) === 'new') return HttpResponse.json({})
        answered401.resolve()
        return new HttpResponse(null, { status: 401 })
      }),
    )
    const auth = createAuthClient({ refresh, tokens: { accessToken: jwtExpiringIn(300), refreshToken: 'r1' } })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    const early = api.get('/revoked')
    // The request ahead of expiry leaves while that 401 is on its way back.
    await answered401.promise
    vi.setSystemTime(NOW + 280_000)
    const ahead = api.get('/ahead')
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await Promise.all([early, ahead])
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('lets held requests go with the still-valid token when a refresh ahead of expiry fails transiently', async () => {
    const seen = acceptingApi()
    const onLoginRequired = vi.fn()
    const refresh = vi.fn(async () => Promise.reject(Object.assign(new Error('down'), { response: { status: 503 } })))
    const token = jwtExpiringIn(20)
    const auth = createAuthClient({ refresh, onLoginRequired, tokens: { accessToken: token, refreshToken: 'r1' } })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    await expect(Promise.all([api.get('/a'), api.get('/b')])).resolves.toHaveLength(2)
    expect(seen).toEqual([token, token])
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(onLoginRequired).not.toHaveBeenCalled()
    expect(auth.getTokens()?.refreshToken).toBe('r1')
  })

  it('waits longer after each failed refresh ahead of expiry instead of retrying on every request', async () => {
    acceptingApi()
    const refresh = vi.fn(async () => Promise.reject(new Error('network down')))
    const auth = createAuthClient({ refresh, tokens: { accessToken: jwtExpiringIn(25), refreshToken: 'r1' } })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    await api.get('/1')
    await api.get('/2')
    expect(refresh).toHaveBeenCalledTimes(1)
    vi.setSystemTime(NOW + 1_000)
    await api.get('/3')
    expect(refresh).toHaveBeenCalledTimes(2)
    vi.setSystemTime(NOW + 2_500)
    await api.get('/4')
    expect(refresh).toHaveBeenCalledTimes(2)
    vi.setSystemTime(NOW + 3_000)
    await api.get('/5')
    expect(refresh).toHaveBeenCalledTimes(3)
  })
})

describe('clock skew', () => {
  it('does not refresh on every request when the client clock is 10 minutes fast', async () => {
    const tenMinutes = 10 * 60_000
    acceptingApi(-tenMinutes)
    const { api, refresh } = client(jwtExpiringIn(300))
    // Every token the server issues lives 5 minutes of server time: 5 minutes in the past by this clock.
    refresh.mockImplementation(async () => ({ accessToken: jwtExpiringIn(300, `new-${refresh.mock.calls.length}`), refreshToken: 'r' }))
    vi.setSystemTime(NOW + tenMinutes)
    await api.get('/learn-the-server-time')
    refresh.mockClear()
    await api.get('/a')
    await api.get('/b')
    expect(refresh).not.toHaveBeenCalled()
  })

  it('does not send an expired token when the client clock is 10 minutes slow', async () => {
    const tenMinutes = 10 * 60_000
    const seen = acceptingApi(tenMinutes)
    const { api, refresh } = client(jwtExpiringIn(300))
    await api.get('/learn-the-server-time')
    expect(refresh).not.toHaveBeenCalled()
    await api.get('/a')
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(seen.at(-1)).toBe(jwtExpiringIn(3600, 'new'))
  })

  it('reads the server time from the Date header of 401 responses too', async () => {
    const tenMinutes = 10 * 60_000
    server.use(http.get(`${API}/*`, () => new HttpResponse(null, { status: 403, headers: { Date: new Date(NOW + tenMinutes).toUTCString() } })))
    const { api, auth } = client(jwtExpiringIn(300))
    await api.get('/x').catch(() => undefined)
    expect(auth.session.serverClock.offsetMs).toBeGreaterThan(tenMinutes - 1_000)
  })
})
