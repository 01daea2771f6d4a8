import axios from 'axios'
import { createAuthClient } from 'axios-reauth'
import { createAuthFetch, createAuthSession, isReauthError } from 'axios-reauth/fetch'
import { describe, expect, it, vi } from 'vitest'
import { API } from '../helpers/api'
import { arrivals, useMswServer } from '../helpers/msw'
import { deferredSession, useProtectedApi } from './fetch-api'

const server = useMswServer()

describe('createAuthSession', () => {
  it('refuses options without a refresh function with a ConfigurationError that names the fix', () => {
    expect(() => createAuthSession({} as never)).toThrow(expect.objectContaining({ code: 'invalid-option', message: expect.stringMatching(/^\[axios-reauth\] createAuthSession\(\) needs a refresh function .*pass refresh: async/) }))
  })

  it('names createAuthSession in the message for an option of the wrong type', () => {
    expect(() => createAuthSession({ refresh: async () => ({ accessToken: 'a' }), refreshTimeoutMs: Infinity })).toThrow(/^\[axios-reauth\] createAuthSession\(\) refused refreshTimeoutMs \(Infinity\)/)
  })

  it('gives a fresh token through getAccessToken with the same single flight as requests', async () => {
    const refresh = vi.fn(async () => ({ accessToken: 'new', expiresIn: 3600 }))
    const auth = createAuthSession({ refresh, tokens: { accessToken: 'old', refreshToken: 'r1', expiresIn: 10 } })
    const [a, b] = await Promise.all([auth.getAccessToken({ minValidity: 60 }), auth.getAccessToken({ minValidity: 60 })])
    expect([a, b, auth.status]).toEqual(['new', 'new', 'authenticated'])
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('rejects a request held during the refresh with disposed when the session is disposed', async () => {
    useProtectedApi(server, new Set(['new']))
    const { auth, called } = deferredSession()
    const authFetch = createAuthFetch(auth, { baseURL: API })
    const first = authFetch(`${API}/first`)
    await called
    const held = authFetch(`${API}/held`)
    auth.dispose()
    const results = await Promise.allSettled([first, held])
    for (const result of results) expect(isReauthError((result as PromiseRejectedResult).reason) && (result as PromiseRejectedResult).reason.code).toBe('disposed')
  })
})

describe('one session for axios and fetch', () => {
  it('shares one refresh between the axios instance and the auth fetch of one createAuthClient', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const refresh = vi.fn(async () => ({ accessToken: 'new', refreshToken: 'r2' }))
    const auth = createAuthClient({ refresh, tokens: { accessToken: 'old', refreshToken: 'r1' } })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    const authFetch = createAuthFetch(auth, { baseURL: API })
    const arrived = arrivals(server, 4)
    const both = Promise.all([api.get('/a'), authFetch(`${API}/b`), api.get('/c'), authFetch(`${API}/d`)])
    await arrived
    const [a, b, c, d] = await both
    expect([a.status, b.status, c.status, d.status]).toEqual([200, 200, 200, 200])
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(calls.filter((call) => call.token === 'new').map((call) => call.path).sort()).toEqual(['/a', '/b', '/c', '/d'])
  })
})
