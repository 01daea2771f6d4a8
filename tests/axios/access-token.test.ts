import { createAuthClient, isReauthError, LoginRequiredError, type RefreshResult, type TokenStorage, type Tokens } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'
import { fakeJwt } from '../helpers/jwt'
import { createManualClock } from '../helpers/manual-clock'

function setup(tokens: ((now: number) => RefreshResult) | undefined, storage?: TokenStorage) {
  const manual = createManualClock()
  const pending = createDeferred<RefreshResult>()
  const refresh = vi.fn(() => pending.promise)
  const auth = createAuthClient({ refresh, tokens: tokens?.(manual.clock.now()), clock: manual.clock, storage, leewaySeconds: 30 })
  return { manual, pending, refresh, auth }
}

const jwtFor = (now: number, seconds: number, sub = 'u1') => fakeJwt({ sub, iat: now / 1000, exp: now / 1000 + seconds })

describe('auth.getAccessToken()', () => {
  it('resolves the current token without a refresh when it is valid long enough', async () => {
    const { auth, refresh, manual } = setup((now) => ({ accessToken: jwtFor(now, 600), refreshToken: 'r1' }))
    await expect(auth.getAccessToken({ minValidity: 120 })).resolves.toBe(auth.getTokens()?.accessToken)
    await manual.advance(0)
    expect(refresh).not.toHaveBeenCalled()
  })

  it('shares one refresh between concurrent callers when the token ends too soon', async () => {
    const { auth, refresh, pending, manual } = setup((now) => ({ accessToken: jwtFor(now, 600), refreshToken: 'r1' }))
    const fresh = jwtFor(manual.clock.now(), 600, 'u2')
    const tokens = Promise.all([auth.getAccessToken({ minValidity: 900 }), auth.getAccessToken({ minValidity: 900 }), auth.getAccessToken({ minValidity: 900 })])
    await manual.advance(0)
    pending.resolve({ accessToken: fresh, refreshToken: 'r2' })
    await expect(tokens).resolves.toEqual([fresh, fresh, fresh])
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('joins the refresh in flight instead of starting another', async () => {
    const { auth, refresh, pending } = setup((now) => ({ accessToken: jwtFor(now, 600), refreshToken: 'r1' }))
    const running = auth.refresh()
    const token = auth.getAccessToken()
    pending.resolve({ accessToken: 'opaque-new', refreshToken: 'r2', expiresIn: 600 })
    await running
    await expect(token).resolves.toBe('opaque-new')
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('refreshes a token due within the leeway when no minValidity is given', async () => {
    const { auth, refresh, pending, manual } = setup((now) => ({ accessToken: jwtFor(now, 600), refreshToken: 'r1' }))
    await manual.advance(580_000)
    const token = auth.getAccessToken()
    pending.resolve({ accessToken: 'opaque-new', refreshToken: 'r2', expiresIn: 600 })
    await expect(token).resolves.toBe('opaque-new')
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('waits for restoring and resolves the stored token without a refresh', async () => {
    const stored = createDeferred<Tokens | undefined>()
    const storage: TokenStorage = { get: () => stored.promise, set: () => {}, clear: () => {} }
    const { auth, refresh, manual } = setup(undefined, storage)
    const token = auth.getAccessToken({ minValidity: 60 })
    const restored = jwtFor(manual.clock.now(), 600)
    stored.resolve({ accessToken: restored, refreshToken: 'r1' })
    await expect(token).resolves.toBe(restored)
    expect(refresh).not.toHaveBeenCalled()
  })

  it('rejects with LoginRequiredError when nobody is signed in', async () => {
    const { auth, refresh } = setup(undefined)
    const error = await auth.getAccessToken().catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(LoginRequiredError)
    expect((error as LoginRequiredError).reason).toBe('no-session')
    expect(refresh).not.toHaveBeenCalled()
  })

  it('rejects with LoginRequiredError when the refresh ends the session', async () => {
    const { auth, pending, manual } = setup((now) => ({ accessToken: jwtFor(now, 10), refreshToken: 'r1' }))
    const token = auth.getAccessToken()
    pending.reject(Object.assign(new Error('invalid_grant'), { response: { status: 400 } }))
    const error = await token.catch((reason: unknown) => reason)
    await manual.advance(0)
    expect(error).toBeInstanceOf(LoginRequiredError)
    expect((error as LoginRequiredError).reason).toBe('refresh-rejected')
    expect(auth.status).toBe('unauthenticated')
  })

  it('rejects with a ReauthError coded disposed after dispose()', async () => {
    const { auth } = setup((now) => ({ accessToken: jwtFor(now, 600), refreshToken: 'r1' }))
    auth.dispose()
    const error = await auth.getAccessToken().catch((reason: unknown) => reason)
    expect(isReauthError(error) && error.code).toBe('disposed')
  })

  it('refuses a minValidity that is not a number of seconds with invalid-option', async () => {
    const { auth } = setup((now) => ({ accessToken: jwtFor(now, 600), refreshToken: 'r1' }))
    const error = await auth.getAccessToken({ minValidity: -1 }).catch((reason: unknown) => reason)
    expect(isReauthError(error) && error.code).toBe('invalid-option')
    expect((error as Error).message).toMatch(/^\[axios-reauth\] getAccessToken\(\) refused minValidity \(-1\)/)
  })
})

describe('auth.setTokens() with expiresIn', () => {
  it('turns expiresIn seconds into expiresAt', () => {
    const { auth, manual } = setup(undefined)
    auth.setTokens({ accessToken: 'opaque-a1', refreshToken: 'r1', expiresIn: 3600 })
    expect(auth.getTokens()).toEqual({ accessToken: 'opaque-a1', refreshToken: 'r1', expiresAt: manual.clock.now() + 3_600_000 })
    expect(auth.session.expiresAt).toBe(manual.clock.now() + 3_600_000)
  })

  it('refreshes an opaque token from setTokens before it expires', async () => {
    const { auth, refresh, pending, manual } = setup(undefined)
    auth.setTokens({ accessToken: 'opaque-a1', refreshToken: 'r1', expiresIn: 60 })
    await manual.advance(31_000)
    const token = auth.getAccessToken()
    pending.resolve({ accessToken: 'opaque-a2', refreshToken: 'r2', expiresIn: 60 })
    await expect(token).resolves.toBe('opaque-a2')
    expect(refresh).toHaveBeenCalledTimes(1)
  })
})
