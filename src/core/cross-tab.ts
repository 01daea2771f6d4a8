import type { Clock } from './clock'
import { broadcastTabChannel, storageTabChannel, type TabChannel } from './tab-channel'
import { leaseLock, webLocksLock, type TabLock } from './tab-lock'
import type { StorageLike } from './token-storage'

/** Lock and message bus shared by the tabs of one client. */
export interface TabCoordinator {
  readonly lock: TabLock
  readonly channel: TabChannel
  close(): void
}

/** Options for cross-tab coordination. */
export interface CrossTabOptions {
  /** Names the lock and the channel; tabs with the same name coordinate. @default derived from the storage key */
  name?: string
  /** How long a new tab with memory storage waits for another tab's tokens, in ms. @default 300 */
  askTimeoutMs?: number
}

const browserLocalStorage = (): StorageLike | undefined => {
  try {
    return (globalThis as { localStorage?: StorageLike }).localStorage ?? undefined
  } catch {
    return undefined
  }
}

/**
 * Finds what this environment offers: Web Locks or else a lease in localStorage; BroadcastChannel
 * or else `storage` events. Returns `undefined` where tabs cannot coordinate (Node, SSR, a
 * worker without these APIs): the client then works as a single tab, never crashes.
 *
 * @param name - The lock's and the channel's name.
 * @param clock - Timers for the lease lock and lock waits.
 * @param leaseMs - How long a storage lease lasts: the refresh timeout plus a margin.
 * @example
 * ```ts
 * const tabs = detectTabCoordinator('my-app', createSystemClock(), 20_000) // undefined in Node
 * ```
 */
export function detectTabCoordinator(name: string, clock: Clock, leaseMs: number): TabCoordinator | undefined {
  const scope = globalThis as {
    navigator?: { locks?: Parameters<typeof webLocksLock>[0] }
    BroadcastChannel?: new (name: string) => BroadcastChannel & { unref?: () => void }
    addEventListener?: Window['addEventListener']
    removeEventListener?: Window['removeEventListener']
  }
  const storage = browserLocalStorage()
  const locks = scope.navigator?.locks
  const lock = typeof locks?.request === 'function' ? webLocksLock(locks, clock) : storage ? leaseLock(storage, clock, leaseMs) : undefined
  if (!lock) return undefined
  if (typeof scope.BroadcastChannel === 'function') {
    const broadcast = new scope.BroadcastChannel(name)
    // A channel must never keep a server-side process alive.
    broadcast.unref?.()
    return { lock, channel: broadcastTabChannel(broadcast), close: () => broadcast.close() }
  }
  if (storage && typeof scope.addEventListener === 'function') {
    return { lock, channel: storageTabChannel(storage, scope as never, `${name}.message`), close: () => {} }
  }
  return undefined
}
