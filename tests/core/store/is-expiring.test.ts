import { createAuthStore, createSession, type RefreshResult } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../../src/core/support/deferred'
import { fakeJwt } from '../../helpers/jwt'
import { createManualClock } from '../../helpers/manual-clock'

// The store is framework-free: it runs with every framework mocked to nothing.
vi.mock('axios', () => ({}))
vi.mock('react', () => ({}))
vi.mock('vue', () => ({}))

const SECOND = 1000

function setup(tokens: (now: number) => RefreshResult) {
  const manual = createManualClock()
  const pending = createDeferred<RefreshResult>()
  const session = createSession({ refresh: () => pending.promise, tokens: tokens(manual.clock.now()), clock: manual.clock })
  const auth = { session, clearTokens: session.clearTokens, refresh: session.refresh }
  const store = createAuthStore(auth)
  const listener = vi.fn()
  store.subscribe(listener)
  return { manual, session, store, listener }
}

describe('createAuthStore: isExpiring for tokens shorter than expiringWithinMs', () => {
  it('is false after receiving a 20 s JWT and turns true in its last quarter', async () => {
    const { manual, store, listener } = setup((now) => ({ accessToken: fakeJwt({ iat: now / 1000, exp: now / 1000 + 20 }), refreshToken: 'r1' }))
    expect(store.getSnapshot().isExpiring).toBe(false)
    await manual.advance(15 * SECOND - 1)
    expect(store.getSnapshot().isExpiring).toBe(false)
    await manual.advance(1)
    expect(store.getSnapshot().isExpiring).toBe(true)
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('measures an opaque 20 s token from the time it was received', async () => {
    const { manual, store } = setup(() => ({ accessToken: 'opaque-a1', refreshToken: 'r1', expiresIn: 20 }))
    expect(store.getSnapshot().isExpiring).toBe(false)
    await manual.advance(15 * SECOND - 1)
    expect(store.getSnapshot().isExpiring).toBe(false)
    await manual.advance(1)
    expect(store.getSnapshot().isExpiring).toBe(true)
  })

  it('turns false again when fresh 20 s tokens arrive', async () => {
    const { manual, session, store } = setup(() => ({ accessToken: 'opaque-a1', refreshToken: 'r1', expiresIn: 20 }))
    await manual.advance(16 * SECOND)
    expect(store.getSnapshot().isExpiring).toBe(true)
    session.setTokens({ accessToken: 'opaque-a2', refreshToken: 'r2', expiresIn: 20 })
    expect(store.getSnapshot().isExpiring).toBe(false)
  })

  it('keeps expiringWithinMs for tokens that live longer than four times it', async () => {
    const { manual, store } = setup((now) => ({ accessToken: fakeJwt({ iat: now / 1000, exp: now / 1000 + 600 }), refreshToken: 'r1' }))
    await manual.advance(540 * SECOND - 1)
    expect(store.getSnapshot().isExpiring).toBe(false)
    await manual.advance(1)
    expect(store.getSnapshot().isExpiring).toBe(true)
  })
})
