import axios from 'axios'
import { createAuthClient, scheduledRefresh, type RefreshResult } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../../src/core/support/deferred'
import { fakeJwt } from '../../helpers/jwt'
import { createManualClock } from '../../helpers/manual-clock'

const jwtExpiringAt = (ms: number, sub = 'user') => fakeJwt({ sub, exp: Math.floor(ms / 1000) })

function setup(options: { refresh?: () => Promise<RefreshResult> } = {}) {
  const manual = createManualClock()
  const start = manual.clock.now()
  let wake: () => void = () => {}
  const wakeEvents = vi.fn((onWake: () => void) => {
    wake = onWake
    return () => {
      wake = () => {}
    }
  })
  let issued = 0
  const refresh = vi.fn(options.refresh ?? (async () => ({ accessToken: jwtExpiringAt(manual.clock.now() + 300_000, `t${++issued}`), refreshToken: 'r' })))
  const auth = createAuthClient({
    refresh,
    clock: manual.clock,
    scheduleRefresh: scheduledRefresh({ wakeEvents }),
    tokens: { accessToken: jwtExpiringAt(start + 300_000), refreshToken: 'r0' },
  })
  const api = axios.create({ baseURL: 'https://api.test' })
  return { manual, start, auth, api, refresh, wake: () => wake(), wakeEvents }
}

describe('scheduled refresh', () => {
  it('refreshes on a timer when the token enters the leeway, not before', async () => {
    const { manual, auth, api, refresh } = setup()
    auth.attach(api)
    await manual.advance(269_999)
    expect(refresh).not.toHaveBeenCalled()
    await manual.advance(1)
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('keeps refreshing ahead of each new token', async () => {
    const { manual, auth, api, refresh } = setup()
    auth.attach(api)
    await manual.advance(270_000)
    await manual.advance(270_000)
    await manual.advance(270_000)
    expect(refresh).toHaveBeenCalledTimes(3)
  })

  it('does nothing until an instance is attached, and stops on detach', async () => {
    const { manual, auth, api, refresh } = setup()
    await manual.advance(280_000)
    expect(refresh).not.toHaveBeenCalled()
    const detach = auth.attach(api)
    await manual.advance(0)
    expect(refresh).toHaveBeenCalledTimes(1)
    detach()
    await manual.advance(600_000)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(manual.pendingTimers).toBe(0)
  })

  it('stops when the tokens are cleared', async () => {
    const { manual, auth, api, refresh } = setup()
    auth.attach(api)
    auth.clearTokens()
    await manual.advance(600_000)
    expect(refresh).not.toHaveBeenCalled()
    expect(manual.pendingTimers).toBe(0)
  })

  it('re-checks at once when the app wakes up (visible tab, focus, online)', async () => {
    const { manual, auth, api, refresh, wake, wakeEvents } = setup()
    auth.attach(api)
    expect(wakeEvents).toHaveBeenCalledTimes(1)
    // A sleeping laptop: the clock jumps, the timer has not fired yet.
    const asleep = manual.clock.now
    manual.clock.now = () => asleep() + 290_000
    wake()
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('never refreshes in a loop when refreshes keep failing: it waits 1 s, 2 s, 4 s …', async () => {
    const { manual, auth, api, refresh } = setup({ refresh: async () => Promise.reject(new Error('offline')) })
    auth.attach(api)
    await manual.advance(270_000)
    expect(refresh).toHaveBeenCalledTimes(1)
    await manual.advance(999)
    expect(refresh).toHaveBeenCalledTimes(1)
    await manual.advance(1)
    expect(refresh).toHaveBeenCalledTimes(2)
    await manual.advance(2_000)
    expect(refresh).toHaveBeenCalledTimes(3)
    await manual.advance(4_000)
    expect(refresh).toHaveBeenCalledTimes(4)
    expect(auth.status).toBe('authenticated')
  })

  it('shares one refresh between the timer and a refresh already in flight', async () => {
    const pending = createDeferred<RefreshResult>()
    const { manual, auth, api, refresh } = setup({ refresh: () => pending.promise })
    auth.attach(api)
    await manual.advance(260_000)
    const manual401 = auth.refresh()
    // The timer's moment (270 s) passes while the refresh is in flight (within its 15 s timeout).
    await manual.advance(10_000)
    expect(refresh).toHaveBeenCalledTimes(1)
    pending.resolve({ accessToken: jwtExpiringAt(manual.clock.now() + 300_000), refreshToken: 'r1' })
    await manual401
    expect(refresh).toHaveBeenCalledTimes(1)
  })
})

it('does not keep a Node process alive: the system clock unrefs its timers', async () => {
  const { createSystemClock } = await import('axios-reauth')
  const handle = createSystemClock().setTimeout(() => {}, 60_000) as NodeJS.Timeout
  expect(handle.hasRef()).toBe(false)
  clearTimeout(handle)
})
