import type { Clock } from '../time/clock'
import { ReauthError } from '../errors'
import type { StorageLike } from '../tokens/storage'

/**
 * Runs `run` while holding the cross-tab lock `name`, held only while `run` runs. `holdBoundMs`
 * is the longest a live holder keeps the lock (its refresh is bounded by the refresh timeout):
 * a holder seen keeping it longer is stuck, and its lock is taken over. `run` must therefore
 * first check whether another tab already did the work.
 */
export type TabLock = <T>(name: string, holdBoundMs: number, run: () => Promise<T>) => Promise<T>

interface LockManagerLike {
  request<T>(name: string, options: { signal?: AbortSignal; steal?: boolean }, callback: () => Promise<T>): Promise<T>
  query?(): Promise<{ held?: Array<{ name?: string; clientId?: string }> }>
}

/**
 * Web Locks (`navigator.locks`): released by the browser when the holder's tab closes or
 * crashes. A tab that has waited `holdBoundMs` looks at who holds the lock: the same tab as when
 * it started waiting means that tab is stuck (a frozen page), so it steals the lock; another tab
 * means the queue moves, so it waits on. Stealing only from a holder that outlived its bound
 * means two tabs never refresh with the same refresh token at once.
 */
export function webLocksLock(locks: LockManagerLike, clock: Clock): TabLock {
  const holderOf = async (name: string) => {
    const snapshot = await locks.query?.()
    return snapshot?.held?.find((lock) => lock.name === name)?.clientId
  }
  return async (name, holdBoundMs, run) => {
    for (;;) {
      const holderBefore = await holderOf(name)
      const waiting = new AbortController()
      const timer = clock.setTimeout(() => waiting.abort(), holdBoundMs)
      try {
        return await locks.request(name, { signal: waiting.signal }, run)
      } catch (error) {
        if (!waiting.signal.aborted || (error as { name?: string })?.name !== 'AbortError') throw error
      } finally {
        clock.clearTimeout(timer)
      }
      const holderNow = await holderOf(name)
      // Without query() there is no telling progress from a stuck holder: the bound decides.
      if (!locks.query || (holderNow !== undefined && holderNow === holderBefore)) {
        return locks.request(name, { steal: true }, run)
      }
    }
  }
}

// Writes in a row that left no lease at all (neither ours nor another tab's) before the storage
// is judged unable to keep one; a single miss can be another tab's lease come and gone.
const LEASE_WRITES_LOST = 3

/**
 * A lease in web storage, for browsers without Web Locks: a tab writes its id and an expiry,
 * reads it back, and owns the lock if its id stuck. The lease outlasts a live holder's refresh,
 * so it is only ever taken over from a tab that closed or froze, once it expires. A storage
 * that throws on write (full) or keeps nothing it is given makes the lock reject, so that the
 * caller can go on without it rather than wait forever.
 */
export function leaseLock(storage: StorageLike, clock: Clock, leaseMs: number, pollMs = 50): TabLock {
  const owner = Math.random().toString(36).slice(2)
  const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms))
  const read = (key: string) => {
    try {
      return JSON.parse(storage.getItem(key) ?? 'null') as { owner: string; until: number } | null
    } catch {
      return null
    }
  }
  return async (name, _holdBoundMs, run) => {
    const key = `${name}.lease`
    const isLive = (lease: { until: number } | null) => lease !== null && lease.until > clock.now()
    let lost = 0
    for (;;) {
      const lease = read(key)
      if (!isLive(lease)) {
        storage.setItem(key, JSON.stringify({ owner, until: clock.now() + leaseMs }))
        // Two tabs may write at once: the one whose id is still there after a beat owns it.
        await sleep(pollMs)
        const after = read(key)
        if (after?.owner === owner) break
        lost = isLive(after) ? 0 : lost + 1
        if (lost >= LEASE_WRITES_LOST) {
          throw new ReauthError('lock-unavailable', `The storage lease "${key}" could not be taken: the storage keeps nothing written to it. Free space in localStorage, or enable it.`)
        }
      }
      await sleep(pollMs)
    }
    try {
      return await run()
    } finally {
      try {
        if (read(key)?.owner === owner) storage.removeItem(key)
      } catch {
        // The lease expires on its own; a failed removal must not turn a refresh into a failure.
      }
    }
  }
}
