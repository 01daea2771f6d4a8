import axios from 'axios'
import { createAuthClient, crossTab, isReauthError, memoryStorage, scheduledRefresh, type AuthClient, type RefreshResult } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'
import { API, protectedApi } from '../helpers/api'
import { fakeJwt } from '../helpers/jwt'
import { createManualClock } from '../helpers/manual-clock'
import { useMswServer } from '../helpers/msw'
import { isCollectable, settle, stubBrowserPage } from '../helpers/tab-globals'

const server = useMswServer()

const quiet = { debug() {}, warn() {} }

function setup() {
  const api = protectedApi(new Set(['new']))
  server.use(api.handler)
  const pending = createDeferred<RefreshResult>()
  const signals: AbortSignal[] = []
  const refresh = vi.fn(({ signal }: { signal: AbortSignal }) => {
    signals.push(signal)
    return pending.promise
  })
  const auth = createAuthClient({ refresh, tokens: { accessToken: 'old', refreshToken: 'r1' }, logger: quiet })
  const client = axios.create({ baseURL: API })
  auth.attach(client)
  return { api, auth, client, pending, refresh, signals }
}

const refreshStarted = (auth: AuthClient) => new Promise<void>((resolve) => auth.on('refresh:start', () => resolve()))

const codeOf = (error: unknown) => (isReauthError(error) ? error.code : String(error))

describe('auth.dispose()', () => {
  it('rejects every held request and the refresh in flight with a disposed error, and aborts the refresh call', async () => {
    const { auth, client, pending, signals } = setup()
    const started = refreshStarted(auth)
    const first = client.get('/first').catch((error: unknown) => error)
    await started
    const held = client.get('/held').catch((error: unknown) => error)
    const refreshing = auth.refresh().catch((error: unknown) => error)

    auth.dispose()

    const [firstError, heldError, refreshError] = await Promise.all([first, held, refreshing])
    expect([firstError, heldError, refreshError].map(codeOf)).toEqual(['disposed', 'disposed', 'disposed'])
    expect((heldError as Error).message).toMatch(/^\[axios-reauth\] .*: this auth client was disposed\. Create a new client/)
    expect(signals[0]?.aborted).toBe(true)
    expect(auth.status).not.toBe('refreshing')
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
  })

  it('detaches every attached instance', async () => {
    const { api, auth, client } = setup()
    const other = axios.create({ baseURL: API })
    auth.attach(other)
    auth.dispose()
    await Promise.all([client.get('/a'), other.get('/b')].map((request) => request.catch(() => undefined)))
    expect(api.calls.map((call) => call.token)).toEqual([undefined, undefined])
  })

  it('makes later calls fail with the disposed code, except clearTokens() and dispose(), which do nothing', async () => {
    const { auth } = setup()
    auth.dispose()
    expect(() => auth.attach(axios.create())).toThrow(expect.objectContaining({ code: 'disposed' }))
    expect(() => auth.setTokens({ accessToken: 'next' })).toThrow(expect.objectContaining({ code: 'disposed' }))
    await expect(auth.refresh()).rejects.toMatchObject({ code: 'disposed' })
    expect(() => auth.clearTokens()).not.toThrow()
    expect(() => auth.dispose()).not.toThrow()
    expect(auth.getTokens()).toEqual({ accessToken: 'old', refreshToken: 'r1' })
  })

  it('stops the refresh timer', () => {
    const manual = createManualClock()
    const exp = Math.floor(manual.clock.now() / 1000) + 3_600
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'never' }), clock: manual.clock, scheduleRefresh: scheduledRefresh({ wakeEvents: () => () => {} }), tokens: { accessToken: fakeJwt({ exp }), refreshToken: 'r' } })
    auth.attach(axios.create())
    expect(manual.pendingTimers).toBe(1)
    auth.dispose()
    expect(manual.pendingTimers).toBe(0)
  })

  it('unsubscribes the wake-up listeners of the refresh schedule', () => {
    const subscribed = new Set<() => void>()
    const wakeEvents = (onWake: () => void) => {
      subscribed.add(onWake)
      return () => subscribed.delete(onWake)
    }
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'never' }), scheduleRefresh: scheduledRefresh({ wakeEvents }) })
    auth.attach(axios.create())
    auth.dispose()
    expect(subscribed.size).toBe(0)
  })

  it('closes the tab channel: other tabs no longer reach the client, nor it them', async () => {
    const page = stubBrowserPage()
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'never' }), crossTab: crossTab({ name: 'my-app' }), logger: quiet, tokens: { accessToken: 'mine', refreshToken: 'r' } })
    const otherTab = new page.BroadcastChannel('my-app')
    const heard: unknown[] = []
    otherTab.addEventListener('message', (event) => heard.push(event.data))
    expect(page.open.size).toBe(2)

    auth.dispose()
    otherTab.postMessage({ type: 'signed-out', reason: 'signed-out' })
    otherTab.postMessage({ type: 'ask' })
    await settle()

    expect(page.open.size).toBe(1)
    expect(heard).toEqual([])
    expect(auth.getTokens()?.accessToken).toBe('mine')
  })

  it('stops waiting for the answer of another tab', async () => {
    const manual = createManualClock()
    stubBrowserPage()
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'never' }), clock: manual.clock, crossTab: crossTab({ name: 'my-app' }), logger: quiet })
    expect(manual.pendingTimers).toBe(1)
    auth.dispose()
    expect(manual.pendingTimers).toBe(0)
    await settle()
    expect(auth.status).toBe('unauthenticated')
  })

  it('lets a disposed cross-tab client be garbage-collected', async () => {
    stubBrowserPage()
    const collectable = await isCollectable(() => {
      const storage = memoryStorage()
      const auth = createAuthClient({ refresh: async () => ({ accessToken: 'never' }), storage, crossTab: crossTab({ name: 'my-app' }), logger: quiet, tokens: { accessToken: 'mine', refreshToken: 'r' } })
      auth.attach(axios.create())
      auth.dispose()
      return storage
    })
    expect(collectable).toBe(true)
  })

  it('lets a dropped client without cross-tab be garbage-collected, attached and used', async () => {
    const api = protectedApi(new Set(['fresh']))
    server.use(api.handler)
    const collectable = await isCollectable(async () => {
      const storage = memoryStorage()
      const auth = createAuthClient({ refresh: async () => ({ accessToken: 'fresh', refreshToken: 'r2' }), storage, scheduleRefresh: scheduledRefresh(), tokens: { accessToken: 'stale', refreshToken: 'r1' } })
      const client = axios.create({ baseURL: API })
      auth.attach(client)
      await client.get('/me')
      return storage
    })
    expect(api.calls.map((call) => call.token)).toEqual(['stale', 'fresh'])
    expect(collectable).toBe(true)
  })

  it('keeps no attached instance alive: one dropped without detach() can be collected', async () => {
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'never' }) })
    const collectable = await isCollectable(() => {
      const instance = axios.create()
      auth.attach(instance)
      return instance
    })
    expect(collectable).toBe(true)
    auth.dispose()
  })
})
