import axios from 'axios'
import { createAuthClient, type RefreshResult } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'
import { API, protectedApi } from '../helpers/api'
import { arrivals, useMswServer } from '../helpers/msw'

const server = useMswServer()

function setup(initial = { accessToken: 'old', refreshToken: 'r1' }) {
  const valid = new Set(['new'])
  const api = protectedApi(valid)
  server.use(api.handler)
  const pending = createDeferred<RefreshResult>()
  const called = createDeferred<void>()
  const refresh = vi.fn(() => {
    called.resolve()
    return pending.promise
  })
  const auth = createAuthClient({ refresh, tokens: initial })
  const client = axios.create({ baseURL: API })
  auth.attach(client)
  return { api, valid, pending, refresh, called: called.promise, auth, client }
}

describe('one shared refresh', () => {
  it('shares one refresh between 25 concurrent 401s and replays each request once', async () => {
    const { api, pending, refresh, called, client } = setup()
    const arrived = arrivals(server, 25)
    const requests = Array.from({ length: 25 }, (_, i) => client.get(`/items/${i}`))
    await Promise.all([arrived, called])
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    const responses = await Promise.all(requests)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(responses.map((r) => r.data.path)).toEqual(Array.from({ length: 25 }, (_, i) => `/items/${i}`))
    for (let i = 0; i < 25; i++) {
      expect(api.calls.filter((call) => call.path === `/items/${i}`).map((call) => call.token)).toEqual(['old', 'new'])
    }
  })

  it('passes the refresh token and an AbortSignal to the refresh function', async () => {
    const { pending, refresh, called, client } = setup()
    const request = client.get('/me')
    await called
    expect(refresh).toHaveBeenCalledWith({ refreshToken: 'r1', signal: expect.any(AbortSignal) })
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await request
  })

  it('holds requests issued during a refresh and sends them once, with the new token', async () => {
    const { api, pending, called, client, auth } = setup()
    const first = client.get('/first')
    await called
    expect(auth.status).toBe('refreshing')
    const held = Array.from({ length: 5 }, (_, i) => client.get(`/held/${i}`))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(api.calls.filter((call) => call.path.startsWith('/held'))).toEqual([])
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await Promise.all([first, ...held])
    const heldCalls = api.calls.filter((call) => call.path.startsWith('/held'))
    expect(heldCalls).toHaveLength(5)
    expect(heldCalls.every((call) => call.token === 'new')).toBe(true)
    expect(api.calls.filter((call) => call.token !== 'new')).toHaveLength(1)
  })

  it('replays a late 401 with the current token without another refresh', async () => {
    const valid = new Set<string>()
    const api = protectedApi(valid)
    const lateResponse = createDeferred()
    server.use(
      http.get(`${API}/slow`, async () => {
        await lateResponse.promise
        return new HttpResponse(null, { status: 401 })
      }, { once: true }),
      api.handler,
    )
    const refresh = vi.fn(async () => ({ accessToken: 'new', refreshToken: 'r2' }))
    const auth = createAuthClient({ refresh, tokens: { accessToken: 'old', refreshToken: 'r1' } })
    const client = axios.create({ baseURL: API })
    auth.attach(client)
    valid.add('new')

    const slow = client.get('/slow')
    await client.get('/fast')
    expect(refresh).toHaveBeenCalledTimes(1)
    lateResponse.resolve()
    const response = await slow
    expect(response.status).toBe(200)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(api.calls.find((call) => call.path === '/slow')?.token).toBe('new')
  })

  it('sends a request issued during the refresh only once, with the new token', async () => {
    const { api, pending, refresh, called, client, auth } = setup()
    const first = client.get('/a')
    await called
    const second = client.get('/b')
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await Promise.all([first, second])
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(auth.getTokens()).toEqual({ accessToken: 'new', refreshToken: 'r2' })
    expect(api.calls.filter((call) => call.path === '/b').map((call) => call.token)).toEqual(['new'])
  })

  it('keeps one session across several attached instances', async () => {
    const { pending, refresh, auth, client } = setup()
    const other = axios.create({ baseURL: API })
    auth.attach(other)
    const arrived = arrivals(server, 2)
    const both = Promise.all([client.get('/one'), other.get('/two')])
    await arrived
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await both
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('shares nothing between two clients', () => {
    const a = createAuthClient({ refresh: async () => ({ accessToken: 'a2' }), tokens: { accessToken: 'a1' } })
    const b = createAuthClient({ refresh: async () => ({ accessToken: 'b2' }), tokens: { accessToken: 'b1' } })
    a.setTokens({ accessToken: 'a3' })
    expect(b.getTokens()).toEqual({ accessToken: 'b1' })
  })

  it('refreshes on demand with auth.refresh(), sharing a flight in progress', async () => {
    const { pending, refresh, auth } = setup()
    const both = Promise.all([auth.refresh(), auth.refresh()])
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    expect(await both).toEqual([{ accessToken: 'new', refreshToken: 'r2' }, { accessToken: 'new', refreshToken: 'r2' }])
    expect(refresh).toHaveBeenCalledTimes(1)
  })
})
