import axios from 'axios'
import { createAuthClient } from 'axios-reauth'
import { createFakeAuthServer, expireNow } from 'axios-reauth/testing'
import { describe, expect, it } from 'vitest'

/** An axios adapter that answers like the fake server's API, and records the tokens it saw. */
function apiOf(authServer: ReturnType<typeof createFakeAuthServer>) {
  const seen: string[] = []
  const api = axios.create({ baseURL: 'https://api.example.com' })
  api.defaults.adapter = async (config) => {
    const authorization = String(config.headers.Authorization ?? '')
    seen.push(authorization)
    const status = authServer.isAuthorized(authorization) ? 200 : 401
    return { data: {}, status, statusText: '', headers: {}, config }
  }
  api.defaults.validateStatus = (status) => status === 200
  return { api, seen }
}

describe('expireNow', () => {
  it('makes the next request refresh before it leaves, so the API never sees the old token', async () => {
    const authServer = createFakeAuthServer()
    const tokens = authServer.signIn()
    const auth = createAuthClient({ refresh: authServer.refresh, tokens })
    const { api, seen } = apiOf(authServer)
    auth.attach(api)
    expireNow(auth)
    await api.get('/me')
    expect(authServer.refreshCalls).toBe(1)
    expect(seen).toHaveLength(1)
    expect(seen[0]).not.toBe(`Bearer ${tokens.accessToken}`)
  })

  it('keeps the token strings and moves only their expiry into the past', () => {
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'next' }), tokens: { accessToken: 'opaque-access', refreshToken: 'opaque-refresh' } })
    expireNow(auth)
    expect(auth.getTokens()).toEqual({ accessToken: 'opaque-access', refreshToken: 'opaque-refresh', expiresAt: 0 })
  })

  it('throws a ConfigurationError when nobody is signed in', () => {
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'next' }) })
    expect(() => expireNow(auth)).toThrow(/^\[axios-reauth\] expireNow\(\) found no tokens to expire: nobody is signed in\. Call auth\.setTokens\(\)/)
  })
})
