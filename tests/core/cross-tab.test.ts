import { createAuthClient, detectTabCoordinator, webStorage } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'
import { storageTabChannel, type TabMessage } from '../../src/core/tab-channel'
import { leaseLock } from '../../src/core/tab-lock'
import { createManualClock } from '../helpers/manual-clock'

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
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'b' }), tokens: { accessToken: 'a', refreshToken: 'r' }, crossTab: true })
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

  it('takes over a lease whose holder vanished once the lease expires', async () => {
    const storage = mapStorage()
    const manual = createManualClock()
    storage.setItem('l.lease', JSON.stringify({ owner: 'closed-tab', until: manual.clock.now() + 2_000 }))
    const run = vi.fn(async (stolen: boolean) => stolen)
    const held = leaseLock(storage, manual.clock, 10_000)('l', 60_000, run)
    await manual.advance(1_900)
    expect(run).not.toHaveBeenCalled()
    await manual.advance(300)
    await expect(held).resolves.toBe(false)
    expect(storage.items.has('l.lease')).toBe(false)
  })

  it('steals a lease after waiting the bound, and says so', async () => {
    const storage = mapStorage()
    const manual = createManualClock()
    storage.setItem('l.lease', JSON.stringify({ owner: 'hung-tab', until: manual.clock.now() + 60_000 }))
    const held = leaseLock(storage, manual.clock, 10_000)('l', 3_000, async (stolen) => stolen)
    await manual.advance(3_200)
    await expect(held).resolves.toBe(true)
  })
})

describe('storage-event channel', () => {
  it('delivers a message written by one tab to the listeners of another', () => {
    const storage = mapStorage()
    const listeners = new Set<(event: { key: string | null; newValue: string | null }) => void>()
    const target = { addEventListener: (_: 'storage', l: never) => listeners.add(l), removeEventListener: (_: 'storage', l: never) => listeners.delete(l) }
    const sender = storageTabChannel(storage, target, 'k')
    const receiver = storageTabChannel(storage, target, 'k')
    const received: TabMessage[] = []
    const off = receiver.listen((message) => received.push(message))
    sender.post({ type: 'signed-out', reason: 'signed-out' })
    sender.post({ type: 'signed-out', reason: 'signed-out' })
    for (const listener of listeners) listener({ key: 'k', newValue: storage.getItem('k') })
    for (const listener of listeners) listener({ key: 'k', newValue: '{not json' })
    for (const listener of listeners) listener({ key: 'other', newValue: storage.getItem('k') })
    expect(received).toEqual([{ type: 'signed-out', reason: 'signed-out' }])
    off()
    expect(listeners.size).toBe(0)
  })
})
