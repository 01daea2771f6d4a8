import { describe, expect, it } from 'vitest'
import type { FaultServerStats, SpentPresentation } from '../helpers/fault-server'
import { checkInvariants } from './invariants'
import type { RunPlan } from './plan'
import type { Observation, RefreshCall } from './run-chaos'

/**
 * The chaos oracle's own tests: each builds the observation of a run by hand, so the order of
 * events is exactly the one named, and checks what the oracle makes of it.
 */

const plan: RunPlan = {
  seed: 0,
  requests: [],
  expiries: [],
  refreshVia: 'separate',
  reloginAfterMs: 0,
  accessLifetimeMs: undefined,
  signOutAt: undefined,
  loginAt: undefined,
  manualRefreshAt: undefined,
}

function serverStats(overrides: Partial<FaultServerStats> = {}): FaultServerStats {
  return {
    arrivals: new Map(),
    successes: new Map(),
    refreshes: [],
    spentRefreshPresented: [],
    spurious401Served: 0,
    bodyMismatches: [],
    foreign: { arrivals: new Map(), authorizations: [] },
    expiries: 0,
    logins: 1,
    issued: [],
    ...overrides,
  }
}

function observation(overrides: Partial<Observation> = {}): Observation {
  return {
    settlements: [],
    problems: [],
    sends: new Map(),
    refreshCalls: [],
    delivered: new Map(),
    loginRequired: [],
    sessions: 1,
    tokens: new Map([
      ['access-1', 'a1'],
      ['refresh-1', 'r1'],
      ['access-2', 'a2'],
      ['refresh-2', 'r2'],
    ]),
    server: serverStats(),
    settledAt: 0,
    signedOutAt: undefined,
    manualRefresh: undefined,
    finalStatus: 'authenticated',
    pendingTimers: 0,
    leftoverListeners: 0,
    serverIdle: true,
    logs: [],
    unhandled: [],
    trace: [],
    ...overrides,
  }
}

/**
 * Two refresh calls presented r1: call 1 was cut off by the timeout and tried again as call 2.
 * The server rotated r1 for `rotatedBy` and found it spent when `spentBy` arrived. The library
 * took r1's successor at `deliveredAt` (never, when undefined).
 */
function twoCallsForR1(times: { call1At: number; call2At: number; deliveredAt: number | undefined; spentBy: 1 | 2 }): Observation {
  const calls: RefreshCall[] = [
    { presented: 'refresh-1', at: times.call1At, outcome: times.spentBy === 1 ? 'timed-out' : 'ok', reported: times.spentBy === 1 ? 'refresh-failed' : undefined },
    { presented: 'refresh-1', at: times.call2At, outcome: times.spentBy === 2 ? 'fatal' : 'ok', reported: times.spentBy === 2 ? 'login-required' : undefined },
  ]
  const spent: SpentPresentation = { token: 'refresh-1', refresh: 2, call: times.spentBy, receivedAt: Math.max(times.call1At, times.call2At) + 1, rotatedAt: Math.min(times.call1At, times.call2At) + 1 }
  return observation({
    refreshCalls: calls,
    delivered: times.deliveredAt === undefined ? new Map() : new Map([['refresh-1', times.deliveredAt]]),
    server: serverStats({ expiries: 2, spentRefreshPresented: [spent] }),
  })
}

describe('the chaos oracle on spent refresh tokens', () => {
  it('finds nothing wrong with a run without a spent token', () => {
    expect(checkInvariants(plan, observation())).toEqual({ problems: [], tolerated: [] })
  })

  it('blames the library for a refresh token presented again after its successor reached the library', () => {
    // Call 1 rotated r1 and the library took r2 at 20; call 2 still presented r1 at 30.
    const verdict = checkInvariants(plan, twoCallsForR1({ call1At: 10, call2At: 30, deliveredAt: 20, spentBy: 2 }))
    expect(verdict.problems).toEqual(['[spent-token] refresh #2 presented r1 10.0 ms after the library received its successor'])
    expect(verdict.tolerated).toEqual([])
  })

  it('tolerates a refresh token presented again before its successor reached the library', () => {
    // Call 1 (at 10) was cut off, call 2 presented r1 again at 30 and reached the server first,
    // the library took r2 from call 2 at 40, and only then did the stalled call 1 arrive.
    const verdict = checkInvariants(plan, twoCallsForR1({ call1At: 10, call2At: 30, deliveredAt: 40, spentBy: 1 }))
    expect(verdict.problems).toEqual([])
    expect(verdict.tolerated).toEqual([expect.stringMatching(/^\[machine: overtaken\] refresh #1 presented r1 30\.0 ms before its successor reached the library/)])
  })

  it('tolerates a spent refresh token whose successor never reached the library', () => {
    const verdict = checkInvariants(plan, twoCallsForR1({ call1At: 10, call2At: 30, deliveredAt: undefined, spentBy: 2 }))
    expect(verdict.problems).toEqual([])
    expect(verdict.tolerated).toEqual([expect.stringMatching(/^\[machine: lost rotation\] refresh #2 presented r1/)])
  })

  it('judges by the arrival at the server when the client sent no call number', () => {
    const late = twoCallsForR1({ call1At: 10, call2At: 30, deliveredAt: 20, spentBy: 2 })
    late.server.spentRefreshPresented[0] = { ...late.server.spentRefreshPresented[0]!, call: undefined, receivedAt: 31 }
    expect(checkInvariants(plan, late).problems).toEqual(['[spent-token] server refresh #2 presented r1 11.0 ms after the library received its successor'])
  })

  it('never names a refresh token in what it reports, beyond its short name', () => {
    const verdict = checkInvariants(plan, twoCallsForR1({ call1At: 10, call2At: 30, deliveredAt: 20, spentBy: 2 }))
    expect([...verdict.problems, ...verdict.tolerated].join('\n')).not.toContain('refresh-1')
  })
})
