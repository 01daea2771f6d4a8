import { createAuthClient, crossTab, memoryStorage, webStorage, type AuthClientOptions, type TabLock } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'
import { leaseLock } from '../../../src/core/tabs/lock'
import { lockOrRunUnlocked } from '../../../src/core/tabs/lock-fallback'
import { createManualClock } from '../../helpers/manual-clock'
import { stubBrowserPage } from '../../helpers/tab-globals'

const quiet = () => ({ debug: vi.fn(), warn: vi.fn() })

/** The warnings about the cross-tab lock, leaving out those about the token storage. */
const lockWarnings = (logger: ReturnType<typeof quiet>) =>
  logger.warn.mock.calls.map((call) => String(call[0])).filter((message) => message.includes('cross-tab lock'))

const quotaExceeded = () => new DOMException("Setting the value of 'k' exceeded the quota.", 'QuotaExceededError')

/** A page of an older browser (no Web Locks, no BroadcastChannel) whose localStorage is full. */
function pageWithFullStorage() {
  const page = stubBrowserPage({ modern: false })
  page.localStorage.setItem = () => {
    throw quotaExceeded()
  }
  return page
}

/** A page whose Web Locks exist but refuse every request, as in a sandboxed iframe. */
function pageWithDeniedWebLocks(denial: Partial<{ request: unknown; query: unknown }>) {
  const page = stubBrowserPage()
  vi.stubGlobal('navigator', { locks: { ...page.locks, ...denial } })
  return page
}

function client(options: Partial<AuthClientOptions>) {
  const logger = quiet()
  let issued = 0
  const refresh = vi.fn(async () => {
    issued += 1
    return { accessToken: `access-${issued}`, refreshToken: `refresh-${issued}` }
  })
  const auth = createAuthClient({ refresh, logger, tokens: { accessToken: 'access-0', refreshToken: 'refresh-0' }, ...options })
  return { auth, refresh, logger }
}

describe('a lock that exists but cannot be taken', () => {
  it('refreshes without the lock when localStorage is full, calling refresh once and warning once', async () => {
    pageWithFullStorage()
    const { auth, refresh, logger } = client({ storage: webStorage(localStorage, 'k') })
    await expect(auth.refresh()).resolves.toMatchObject({ accessToken: 'access-1' })
    expect(refresh).toHaveBeenCalledTimes(1)
    await expect(auth.refresh()).resolves.toMatchObject({ accessToken: 'access-2' })
    expect(refresh).toHaveBeenCalledTimes(2)
    expect(lockWarnings(logger)).toHaveLength(1)
    expect(lockWarnings(logger)[0]).toMatch(/^\[axios-reauth\] The cross-tab lock could not be taken \(QuotaExceededError\): .*\. Free space in localStorage/)
  })

  it('refreshes without the lock when Web Locks reject with SecurityError, calling refresh once and warning once', async () => {
    const request = vi.fn(() => Promise.reject(new DOMException('Access to the Locks API is denied in this context.', 'SecurityError')))
    pageWithDeniedWebLocks({ request })
    const { auth, refresh, logger } = client({ crossTab: crossTab({ name: 'my-app' }), storage: memoryStorage() })
    await expect(auth.refresh()).resolves.toMatchObject({ accessToken: 'access-1' })
    await expect(auth.refresh()).resolves.toMatchObject({ accessToken: 'access-2' })
    expect(request).toHaveBeenCalledTimes(2)
    expect(refresh).toHaveBeenCalledTimes(2)
    expect(lockWarnings(logger)).toEqual([expect.stringMatching(/\(SecurityError\): .*allow Web Locks/)])
  })

  it('refreshes without the lock when Web Locks refuse to say who holds it', async () => {
    pageWithDeniedWebLocks({ query: () => Promise.reject(new DOMException('The request was denied.', 'NotAllowedError')) })
    const { auth, refresh, logger } = client({ crossTab: crossTab({ name: 'my-app' }), storage: memoryStorage() })
    await expect(auth.refresh()).resolves.toMatchObject({ accessToken: 'access-1' })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(lockWarnings(logger)).toEqual([expect.stringMatching(/\(NotAllowedError\)/)])
  })

  it('refreshes without the lock once localStorage fills up after a refresh that held it', async () => {
    const page = stubBrowserPage({ modern: false })
    const manual = createManualClock()
    const { auth, refresh, logger } = client({ storage: webStorage(localStorage, 'k'), clock: manual.clock })
    const first = auth.refresh()
    await manual.advance(1_000)
    await first
    expect(lockWarnings(logger)).toEqual([])
    page.localStorage.setItem = () => {
      throw quotaExceeded()
    }
    await expect(auth.refresh()).resolves.toMatchObject({ accessToken: 'access-2' })
    expect(refresh).toHaveBeenCalledTimes(2)
    expect(lockWarnings(logger)).toHaveLength(1)
  })

  it('refreshes without the lock when the storage keeps nothing written to it', async () => {
    const page = stubBrowserPage({ modern: false })
    page.localStorage.setItem = () => {}
    const manual = createManualClock()
    const { auth, refresh, logger } = client({ storage: webStorage(localStorage, 'k'), clock: manual.clock })
    const refreshed = auth.refresh()
    await manual.advance(1_000)
    await expect(refreshed).resolves.toMatchObject({ accessToken: 'access-1' })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(lockWarnings(logger)).toEqual([expect.stringMatching(/\(lock-unavailable\)/)])
  })
})

describe('lockOrRunUnlocked', () => {
  const working: TabLock = (_name, _bound, run) => run()

  it('passes on a failure of the work itself without running it again or warning', async () => {
    const logger = quiet()
    const run = vi.fn(() => Promise.reject(new Error('token endpoint down')))
    await expect(lockOrRunUnlocked(working, logger)('l', 1_000, run)).rejects.toThrow('token endpoint down')
    expect(run).toHaveBeenCalledTimes(1)
    expect(logger.warn).not.toHaveBeenCalled()
  })

  it('passes on a failure of the lock that comes after the work started, running it once', async () => {
    const logger = quiet()
    const breaksAfterRun: TabLock = async (_name, _bound, run) => {
      await run()
      throw new DOMException('The lock was stolen.', 'AbortError')
    }
    const run = vi.fn(async () => 'done')
    await expect(lockOrRunUnlocked(breaksAfterRun, logger)('l', 1_000, run)).rejects.toThrow('stolen')
    expect(run).toHaveBeenCalledTimes(1)
  })
})

describe('storage lease lock on a storage that cannot hold it', () => {
  it('rejects with the storage error when setItem throws, before running anything', async () => {
    const storage = { getItem: () => null, setItem: () => { throw quotaExceeded() }, removeItem: () => {} }
    const run = vi.fn(async () => 'ran')
    await expect(leaseLock(storage, createManualClock().clock, 10_000)('l', 1_000, run)).rejects.toMatchObject({ name: 'QuotaExceededError' })
    expect(run).not.toHaveBeenCalled()
  })

  it('rejects with lock-unavailable after three writes that left no lease', async () => {
    const storage = { getItem: () => null, setItem: vi.fn(), removeItem: () => {} }
    const manual = createManualClock()
    const run = vi.fn(async () => 'ran')
    const held = leaseLock(storage, manual.clock, 10_000)('l', 1_000, run)
    const outcome = held.catch((error: unknown) => error)
    await manual.advance(1_000)
    expect(await outcome).toMatchObject({ code: 'lock-unavailable', message: expect.stringMatching(/^\[axios-reauth\] The storage lease "l\.lease" could not be taken: .*\. Free space/) })
    expect(storage.setItem).toHaveBeenCalledTimes(3)
    expect(run).not.toHaveBeenCalled()
  })

  it('keeps waiting while another tab holds a live lease', async () => {
    const manual = createManualClock()
    const lease = JSON.stringify({ owner: 'other-tab', until: manual.clock.now() + 60_000 })
    const storage = { getItem: () => lease, setItem: vi.fn(), removeItem: () => {} }
    const run = vi.fn(async () => 'ran')
    void leaseLock(storage, manual.clock, 10_000)('l', 1_000, run)
    await manual.advance(30_000)
    expect(run).not.toHaveBeenCalled()
    expect(storage.setItem).not.toHaveBeenCalled()
  })
})
