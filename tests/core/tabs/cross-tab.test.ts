import { createAuthClient, createSession, crossTab, detectTabCoordinator, webStorage, type TabCoordinator, type TabLock } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'
import { storageTabChannel, type TabMessage } from '../../../src/core/tabs/channel'
import { leaseLock, webLocksLock } from '../../../src/core/tabs/lock'
import { createManualClock } from '../../helpers/manual-clock'

function mapStorage() {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  }
}

describe('outside a browser', () => {
  it('finds nothing to coordinate with in Node, and the client works as a single tab', async () => {
    expect(detectTabCoordinator('x', createManualClock().clock, 1_000)).toBeUndefined()
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'b' }), tokens: { accessToken: 'a', refreshToken: 'r' }, crossTab: crossTab() })
    await expect(auth.refresh()).resolves.toEqual({ accessToken: 'b' })
  })

  it('keeps cross-tab off by default for storage that tabs do not share', () => {
    expect(webStorage(mapStorage()).sharedAcrossTabs).toBe(false)
  })
})

describe('storage lease lock', () => {
  it('lets one holder in at a time, in turn', async () => {
    const storage = mapStorage()
    const manual = createManualClock()
    const lockA = leaseLock(storage, manual.clock, 10_000)
    const lockB = leaseLock(storage, manual.clock, 10_000)
    const order: string[] = []
    let releaseA!: () => void
    const a = lockA('l', 60_000, async () => {
      order.push('a in')
      await new Promise<void>((resolve) => (releaseA = resolve))
      order.push('a out')
    })
    await manual.advance(100)
    const b = lockB('l', 60_000, async () => void order.push('b in'))
    await manual.advance(500)
    expect(order).toEqual(['a in'])
    releaseA()
    await manual.advance(500)
    await Promise.all([a, b])
    expect(order).toEqual(['a in', 'a out', 'b in'])
  })

  it('takes over a lease whose holder vanished once the lease expires, not before', async () => {
    const storage = mapStorage()
    const manual = createManualClock()
    storage.setItem('l.lease', JSON.stringify({ owner: 'closed-tab', until: manual.clock.now() + 2_000 }))
    const run = vi.fn(async () => 'ran')
    const held = leaseLock(storage, manual.clock, 10_000)('l', 500, run)
    await manual.advance(1_900)
    expect(run).not.toHaveBeenCalled()
    await manual.advance(300)
    await expect(held).resolves.toBe('ran')
    expect(storage.items.has('l.lease')).toBe(false)
  })
})

describe('storage-event channel', () => {
  it('delivers a message written by one tab to the listeners of another, and leaves nothing in storage', () => {
    const storage = mapStorage()
    const written: string[] = []
    const setItem = storage.setItem
    storage.setItem = (key, value) => {
      written.push(value)
      setItem(key, value)
    }
    const listeners = new Set<(event: { key: string | null; newValue: string | null }) => void>()
    const target = { addEventListener: (_: 'storage', l: never) => listeners.add(l), removeEventListener: (_: 'storage', l: never) => listeners.delete(l) }
    const sender = storageTabChannel(storage, target, 'k')
    const receiver = storageTabChannel(storage, target, 'k')
    const received: TabMessage[] = []
    const off = receiver.listen((message) => received.push(message))
    sender.post({ type: 'signed-out', reason: 'signed-out' })
    sender.post({ type: 'signed-out', reason: 'signed-out' })
    expect(storage.items.size).toBe(0)
    expect(new Set(written).size).toBe(2)
    // As a browser does: an event per write (with the value) and per removal (with null).
    for (const listener of listeners) listener({ key: 'k', newValue: written[0]! })
    for (const listener of listeners) listener({ key: 'k', newValue: null })
    for (const listener of listeners) listener({ key: 'k', newValue: '{not json' })
    for (const listener of listeners) listener({ key: 'other', newValue: written[1]! })
    expect(received).toEqual([{ type: 'signed-out', reason: 'signed-out' }])
    off()
    expect(listeners.size).toBe(0)
  })
})

/** A Web Locks stand-in for one lock: FIFO waiters, abortable waits, steal, and query(). */
function fakeLocks() {
  let holder: { clientId: string; release: () => void } | undefined
  const waiters: Array<{ clientId: string; grant: () => void }> = []
  const grantNext = () => {
    if (holder) return
    waiters.shift()?.grant()
  }
  const clientFor = (clientId: string) => ({
    query: async () => ({ held: holder ? [{ name: 'l', clientId: holder.clientId }] : [] }),
    request<T>(_name: string, options: { signal?: AbortSignal; steal?: boolean }, callback: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let granted = false
        const grant = () => {
          granted = true
          let released = false
          const release = () => {
            if (released) return
            released = true
            if (holder?.release === release) holder = undefined
            grantNext()
          }
          holder = { clientId, release }
          callback().then(resolve, reject).finally(release)
        }
        if (options.steal) {
          holder = undefined
          return grant()
        }
        const waiter = { clientId, grant }
        waiters.push(waiter)
        // As in browsers, aborting only cancels a wait: a granted lock is kept.
        options.signal?.addEventListener('abort', () => {
          if (granted) return
          const index = waiters.indexOf(waiter)
          if (index >= 0) waiters.splice(index, 1)
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))
        })
        grantNext()
      })
    },
  })
  return { clientFor }
}

describe('Web Locks', () => {
  it('steals the lock from a tab that held it for longer than the bound', async () => {
    const manual = createManualClock()
    const locks = fakeLocks()
    void webLocksLock(locks.clientFor('frozen-tab'), manual.clock)('l', 1_000, () => new Promise(() => {}))
    await manual.advance(0)
    const ran = vi.fn(async () => 'refreshed')
    const waiting = webLocksLock(locks.clientFor('tab-b'), manual.clock)('l', 1_000, ran)
    await manual.advance(900)
    expect(ran).not.toHaveBeenCalled()
    await manual.advance(1_100)
    await expect(waiting).resolves.toBe('refreshed')
  })

  it('waits on without stealing while the lock passes from tab to tab', async () => {
    const manual = createManualClock()
    const locks = fakeLocks()
    const order: string[] = []
    const holdFor = (tab: string, ms: number) =>
      webLocksLock(locks.clientFor(tab), manual.clock)('l', 1_000, async () => {
        order.push(`${tab} in`)
        await new Promise<void>((resolve) => manual.clock.setTimeout(resolve, ms))
        order.push(`${tab} out`)
      })
    const all = Promise.all([holdFor('a', 800), holdFor('b', 800), holdFor('c', 800)])
    for (let i = 0; i < 30; i++) await manual.advance(100)
    await all
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out'])
  })
})

describe('two tabs, one refresh', () => {
  /** Two sessions of one origin: shared storage, an in-process lock, a channel that delivers nothing. */
  function twoTabs() {
    const shared = mapStorage()
    let queue: Promise<unknown> = Promise.resolve()
    // As with Web Locks, the next tab may get the lock before the holder hears its own result.
    const lock: TabLock = (_name, _bound, run) => {
      const turn = queue.then(run)
      queue = turn.catch(() => undefined)
      return turn.finally(() => new Promise((resolve) => setTimeout(resolve, 0)))
    }
    const tabs: TabCoordinator = { lock, channel: { post: () => {}, listen: () => () => {} }, close: () => {} }
    const presented: Array<string | undefined> = []
    let issued = 0
    const refresh = vi.fn(async ({ refreshToken }: { refreshToken?: string }) => {
      presented.push(refreshToken)
      issued += 1
      return { accessToken: `a${issued}`, refreshToken: `r${issued}` }
    })
    const storage = { ...webStorage(shared, 'k'), sharedAcrossTabs: true }
    storage.set({ accessToken: 'a0', refreshToken: 'r0' })
    const open = () => createSession({ refresh, storage, tabs, logger: { debug() {}, warn() {} } })
    return { first: open(), second: open(), refresh, presented }
  }

  it('lets the second tab take the tokens the first one stored under the lock, without refreshing again', async () => {
    const { first, second, refresh, presented } = twoTabs()
    const [a, b] = await Promise.all([first.refresh(), second.refresh()])
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(presented).toEqual(['r0'])
    expect(a).toEqual(b)
  })
})
