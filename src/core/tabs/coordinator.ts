import type { Clock } from '../time/clock'
import { broadcastTabChannel, storageTabChannel, type TabChannel } from './channel'
import { leaseLock, webLocksLock, type TabLock } from './lock'
import type { StorageLike } from '../tokens/storage'

/** Lock and message bus shared by the tabs of one client. */
export interface TabCoordinator {
  readonly lock: TabLock
  readonly channel: TabChannel
  /** Closes the channel; the coordinator is unusable afterwards. */
  close(): void
}

/** Options for cross-tab coordination. */
export interface CrossTabOptions {
  /**
   * Names the session the tabs share: tabs (of one origin) whose clients have the same name
   * coordinate, clients with different names never see each other's tokens. Required to
   * coordinate a client whose tokens are not in shared storage (the default memory storage);
   * one name per session, never the same for two clients of one page.
   * @default `axios-reauth:<key>` for `webStorage(storage, key)`; none for memory storage
   */
  name?: string
  /** How long a new tab with memory storage waits for another tab's tokens, in ms. @default 300 */
  askTimeoutMs?: number
}

/**
 * How {@link detectTabCoordinator} may talk to the other tabs; shown inline there, as only that
 * function takes it.
 * @inline
 */
export interface TabDetectOptions {
  /**
   * The client's tokens are in localStorage already. Only then may the `storage`-event fallback
   * (for browsers without BroadcastChannel) carry messages, which hold tokens, through it.
   * @default false
   */
  sharedStorage?: boolean
}

const browserLocalStorage = (): StorageLike | undefined => {
  try {
    return (globalThis as { localStorage?: StorageLike }).localStorage ?? undefined
  } catch {
    return undefined
  }
}

/**
 * Tells whether this code runs in a page (a document in a window), the only place where tabs
 * exist. Server runtimes and workers may have Web Locks and BroadcastChannel too (Node ≥ 24.5,
 * Deno, Bun), but there they span a whole process: every client would share one session.
 */
export function isBrowsingContext(): boolean {
  const scope = globalThis as { document?: unknown; window?: unknown }
  return typeof scope.document === 'object' && scope.document !== null && typeof scope.window === 'object' && scope.window !== null
}

/**
 * Finds what this page offers: Web Locks or else a lease in localStorage; BroadcastChannel or
 * else `storage` events (only for `sharedStorage` clients). Returns `undefined` where tabs
 * cannot coordinate: outside a page (Node, Deno, Bun, SSR, a worker), whatever globals exist,
 * or in a page without the APIs. The client then works as a single tab, never crashes.
 *
 * @param name - The lock's and the channel's name.
 * @param clock - Timers for the lease lock and lock waits.
 * @param leaseMs - How long a storage lease lasts: the refresh timeout plus a margin.
 * @param options - `sharedStorage`: the tokens are in localStorage anyway.
 * @returns The coordinator; call its `close()` when done with it.
 * @example
 * ```ts
 * const tabs = detectTabCoordinator('my-app', createSystemClock(), 20_000) // undefined in Node
 * ```
 */
export function detectTabCoordinator(name: string, clock: Clock, leaseMs: number, options: TabDetectOptions = {}): TabCoordinator | undefined {
  if (!isBrowsingContext()) return undefined
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
    // A page emulated in Node (jsdom) gets Node's channel, which must not keep the process alive.
    broadcast.unref?.()
    return { lock, channel: broadcastTabChannel(broadcast), close: () => broadcast.close() }
  }
  if (options.sharedStorage && storage && typeof scope.addEventListener === 'function') {
    return { lock, channel: storageTabChannel(storage, scope as never, `${name}.message`), close: () => {} }
  }
  return undefined
}
