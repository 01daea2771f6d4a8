import { createAuthClient, type RefreshResult, type Session, type Tokens } from 'axios-reauth'
import { vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'

/** A client whose refresh waits for the test to settle `pending`. */
export function setupClient(tokens: Tokens = { accessToken: 'a1', refreshToken: 'r1' }) {
  const pending = createDeferred<RefreshResult>()
  const refresh = vi.fn(() => pending.promise)
  const auth = createAuthClient({ refresh, tokens })
  return { auth, pending, refresh }
}

/** Counts the session listeners that are still subscribed. */
export function trackListeners(session: Session) {
  const on = session.on
  const offs: Array<ReturnType<typeof vi.fn>> = []
  vi.spyOn(session, 'on').mockImplementation((name, listener) => {
    const off = vi.fn(on(name, listener))
    offs.push(off)
    return off
  })
  return {
    subscribed: () => offs.length,
    active: () => offs.filter((off) => off.mock.calls.length === 0).length,
  }
}
