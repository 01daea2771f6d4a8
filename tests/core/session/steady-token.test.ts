import type { RefreshResult } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'
import { createSessionPort } from '../../../src/core/internal'
import { createDeferred } from '../../../src/core/support/deferred'
import { fakeJwt } from '../../helpers/jwt'
import { createManualClock } from '../../helpers/manual-clock'

const quiet = () => ({ debug: vi.fn(), warn: vi.fn() })

/** A session signed in with a token that expires in 10 minutes (due 30 s before), refreshed by `refresh`. */
function signedIn(refresh: () => Promise<RefreshResult> | RefreshResult) {
  const manual = createManualClock()
  const exp = Math.floor(manual.clock.now() / 1000) + 600
  const accessToken = fakeJwt({ sub: 'u', exp })
  const port = createSessionPort({ refresh: vi.fn(refresh), tokens: { accessToken, refreshToken: 'r1' }, clock: manual.clock, logger: quiet() })
  return { port, accessToken, manual }
}

// The send path skips its looks at a refresh (its own call, the hold) when the session offers a
// steady token: each case below is one in which skipping them would send a request wrongly.
describe('the steady token a request may take without looking further', () => {
  it('is the access token while signed in, with nothing in flight and the token not due', () => {
    const { port, accessToken } = signedIn(() => ({ accessToken: 'a2' }))
    expect(port.steadyToken).toBe(accessToken)
  })

  it('is withheld while a refresh is in flight, and while the refresh function itself is being called', async () => {
    const answer = createDeferred<RefreshResult>()
    let seenDuringCall: string | undefined = 'not read'
    const { port } = signedIn(() => {
      seenDuringCall = port.steadyToken
      return answer.promise
    })
    const refreshed = port.refresh()
    expect(seenDuringCall).toBeUndefined()
    expect(port.steadyToken).toBeUndefined()
    answer.resolve({ accessToken: 'a2', refreshToken: 'r2' })
    await refreshed
    expect(port.steadyToken).toBe('a2')
  })

  it("is withheld from the new tokens' listeners, which run before the refresh's flight settles", async () => {
    const { port } = signedIn(() => ({ accessToken: 'a2', refreshToken: 'r2' }))
    const seen: Array<string | undefined> = []
    port.on('refresh:success', () => seen.push(port.steadyToken, port.refreshTokenInFlight))
    await port.refresh()
    // A request such a listener sends with the old refresh token is still told apart as the refresh's own.
    expect(port.status).toBe('authenticated')
    expect(seen).toEqual([undefined, 'r1'])
    expect(port.steadyToken).toBe('a2')
  })

  it('is withheld once the token is due, and reading it starts no refresh', async () => {
    const refresh = vi.fn(() => ({ accessToken: 'a2' }))
    const { port, manual } = signedIn(refresh)
    await manual.advance(571_000)
    expect(port.steadyToken).toBeUndefined()
    expect(port.status).toBe('authenticated')
    expect(refresh).not.toHaveBeenCalled()
  })

  it('is withheld when signed out and once disposed', () => {
    const signedOut = signedIn(() => ({ accessToken: 'a2' })).port
    signedOut.clearTokens()
    expect(signedOut.steadyToken).toBeUndefined()
    const disposed = signedIn(() => ({ accessToken: 'a2' })).port
    disposed.dispose()
    expect(disposed.steadyToken).toBeUndefined()
  })
})
