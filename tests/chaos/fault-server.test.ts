import { afterEach, describe, expect, it } from 'vitest'
import { startFaultServer, type FaultServer } from '../helpers/fault-server'

/** The fault server's record of spent refresh tokens, which the chaos oracle puts in order with the client's events. */
describe('the fault server', () => {
  let server: FaultServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  const presentEveryRefresh = { refreshFaults: { ok: 1, invalid_grant: 0, server_error: 0, reset: 0, hang: 0 }, refreshLatencyMs: [0, 0] as const }

  it('records which call presented a spent refresh token, and when it was rotated and presented again', async () => {
    let ticks = 0
    server = await startFaultServer(1, presentEveryRefresh, undefined, () => ++ticks)
    const { refreshToken } = server.login()
    const present = (call: number) =>
      fetch(`${server!.url}/auth/refresh`, { method: 'POST', headers: { 'x-refresh-call': String(call) }, body: JSON.stringify({ refreshToken }) })

    expect((await present(1)).status).toBe(200)
    expect((await present(2)).status).toBe(400)

    // Tick 1: call 1 arrives; tick 2: it rotates the token; tick 3: call 2 arrives with the spent token.
    expect(server.stats.spentRefreshPresented).toEqual([{ token: refreshToken, refresh: 2, call: 2, receivedAt: 3, rotatedAt: 2 }])
    expect(server.stats.refreshes.map(({ call, receivedAt, result }) => ({ call, receivedAt, result }))).toEqual([
      { call: 1, receivedAt: 1, result: 'rotated' },
      { call: 2, receivedAt: 3, result: 'spent' },
    ])
  })

  it('records no call number for a refresh call without one', async () => {
    server = await startFaultServer(1, presentEveryRefresh, undefined, () => 0)
    const { refreshToken } = server.login()
    await fetch(`${server.url}/auth/refresh`, { method: 'POST', body: JSON.stringify({ refreshToken }) })
    expect(server.stats.refreshes[0]).toMatchObject({ call: undefined, result: 'rotated' })
  })
})
