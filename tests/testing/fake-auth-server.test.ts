import { createAuthClient, LoginRequiredError, readClaims, RefreshFailedError } from 'axios-reauth'
import { createFakeAuthServer, FakeRefreshError } from 'axios-reauth/testing'
import { describe, expect, it, vi } from 'vitest'

const context = (refreshToken: string | undefined) => ({ refreshToken, signal: new AbortController().signal })

describe('createFakeAuthServer', () => {
  it('issues tokens with its claims and lifetime on the clock it was given', () => {
    let now = Date.UTC(2030, 0, 1)
    const authServer = createFakeAuthServer({ expiresIn: 60, claims: { sub: 'ada' }, now: () => now })
    const tokens = authServer.signIn({ role: 'admin' })
    expect(readClaims(tokens.accessToken)).toMatchObject({ sub: 'ada', role: 'admin', exp: now / 1000 + 60 })
    expect(authServer.isAuthorized(`Bearer ${tokens.accessToken}`)).toBe(true)
    now += 60_000
    expect(authServer.isAuthorized(`Bearer ${tokens.accessToken}`)).toBe(false)
  })

  it('follows fake timers installed after it was created, by default', () => {
    const authServer = createFakeAuthServer({ expiresIn: 60 })
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
    try {
      const { accessToken } = authServer.signIn()
      expect(readClaims(accessToken)?.iat).toBe(Date.UTC(2030, 0, 1) / 1000)
      vi.advanceTimersByTime(59_000)
      expect(authServer.isAuthorized(accessToken)).toBe(true)
      vi.advanceTimersByTime(1_000)
      expect(authServer.isAuthorized(accessToken)).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })

  it('rotates the refresh token: the spent one is refused as fatal', async () => {
    const authServer = createFakeAuthServer()
    const first = authServer.signIn()
    const second = await authServer.refresh(context(first.refreshToken))
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(authServer.isAuthorized(second.accessToken)).toBe(true)
    const refused = await authServer.refresh(context(first.refreshToken)).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(FakeRefreshError)
    expect(refused).toMatchObject({ code: 'fake-refresh-failed', status: 400, response: { status: 400 } })
    expect((refused as Error).message).toMatch(/^\[axios-reauth\] The fake auth server refused the refresh with 400: invalid_grant: refresh token …en-1 is not the current one .*\. Start a session with signIn\(\)/)
    expect(authServer.refreshCalls).toBe(2)
  })

  it('never puts more than the last 4 characters of a refresh token in a message', async () => {
    const authServer = createFakeAuthServer()
    const refused = await authServer.refresh(context('a-secret-refresh-token-9f3c')).catch((error: Error) => error)
    expect((refused as Error).message).toContain('…9f3c')
    expect((refused as Error).message).not.toContain('secret')
  })

  it('keeps the session through a transient failure and serves the next request', async () => {
    const authServer = createFakeAuthServer()
    const auth = createAuthClient({ refresh: authServer.refresh, tokens: authServer.signIn() })
    authServer.failNextRefresh('transient')
    await expect(auth.refresh()).rejects.toBeInstanceOf(RefreshFailedError)
    expect(auth.status).toBe('authenticated')
    await expect(auth.refresh()).resolves.toMatchObject({ refreshToken: expect.any(String) })
    expect(authServer.refreshCalls).toBe(2)
  })

  it('ends the session on a fatal failure, with the fake error as cause', async () => {
    const authServer = createFakeAuthServer()
    const auth = createAuthClient({ refresh: authServer.refresh, tokens: authServer.signIn() })
    authServer.failNextRefresh('fatal')
    const ended = await auth.refresh().catch((error: unknown) => error)
    expect(ended).toBeInstanceOf(LoginRequiredError)
    expect((ended as LoginRequiredError).reason).toBe('refresh-rejected')
    expect((ended as Error).cause).toBeInstanceOf(FakeRefreshError)
    expect(auth.status).toBe('unauthenticated')
  })

  it('fails as many refreshes as it was told to, then rotates again', async () => {
    const authServer = createFakeAuthServer()
    const { refreshToken } = authServer.signIn()
    authServer.failNextRefresh('transient', 2)
    await expect(authServer.refresh(context(refreshToken))).rejects.toMatchObject({ status: 503, retryable: true })
    await expect(authServer.refresh(context(refreshToken))).rejects.toMatchObject({ status: 503 })
    await expect(authServer.refresh(context(refreshToken))).resolves.toMatchObject({ accessToken: expect.any(String) })
  })

  it('refuses every token after revoke()', async () => {
    const authServer = createFakeAuthServer()
    const tokens = authServer.signIn()
    authServer.revoke()
    expect(authServer.isAuthorized(tokens.accessToken)).toBe(false)
    await expect(authServer.refresh(context(tokens.refreshToken))).rejects.toMatchObject({ status: 400 })
  })

  it('refuses expiresIn 0, an unknown failure kind and a clock that is no function', () => {
    expect(() => createFakeAuthServer({ expiresIn: 0 })).toThrow(/expiresIn 0: pass a lifetime in seconds greater than 0/)
    expect(() => createFakeAuthServer({ now: 5 as never })).toThrow(/now of type number: pass a function/)
    expect(() => createFakeAuthServer().failNextRefresh('sometimes' as never)).toThrow(/was given sometimes: pass 'transient'/)
  })
})
