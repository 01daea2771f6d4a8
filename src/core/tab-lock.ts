import type { Clock } from './clock'
import type { StorageLike } from './token-storage'

/**
 * Runs `run` while holding the cross-tab lock `name`. Waiting gives up after `waitMs`: `run` is
 * then called with `stolen: true` after the lock was taken by force, and should first check
 * whether another tab already did the work. The lock is held only while `run` runs.
 */
export type TabLock = <T>(name: string, waitMs: number, run: (stolen: boolean) => Promise<T>) => Promise<T>

interface LockManagerLike {
  request<T>(name: string, options: { signal?: AbortSignal; steal?: boolean }, callback: () => Promise<T>): Promise<T>
}

/**
 * Web Locks (`navigator.locks`): released by the browser when the holder's tab closes or
 * crashes, so a dead tab never blocks the others. A tab that waited `waitMs` steals the lock:
 * the holder is then hung, since its own refresh is bounded by the refresh timeout.
 */
export function webLocksLock(locks: LockManagerLike, clock: Clock): TabLock {
  return async (name, waitMs, run) => {
    const waiting = new AbortController()
    const timer = clock.setTimeout(() => waiting.abort(), waitMs)
    try {
      return await locks.request(name, { signal: waiting.signal }, () => run(false))
    } catch (error) {
      if (!waiting.signal.aborted || (error as { name?: string })?.name !== 'AbortError') throw error
      return locks.request(name, { steal: true }, () => run(true))
    } finally {
      clock.clearTimeout(timer)
    }
  }
}

/**
 * A lease in web storage, for browsers without Web Locks: a tab writes its id and an expiry,
 * reads it back, and owns the lock if its id stuck. A tab closed mid-refresh blocks the others
 * for at most the lease.
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
  return async (name, waitMs, run) => {
    const key = `${name}.lease`
    const giveUpAt = clock.now() + waitMs
    let stolen = false
    for (;;) {
      const lease = read(key)
      if (!lease || lease.until <= clock.now() || clock.now() >= giveUpAt) {
        stolen = Boolean(lease && lease.until > clock.now())
        storage.setItem(key, JSON.stringify({ owner, until: clock.now() + leaseMs }))
        await sleep(pollMs)
        if (read(key)?.owner === owner) break
      }
      await sleep(pollMs)
    }
    try {
      return await run(stolen)
    } finally {
      if (read(key)?.owner === owner) storage.removeItem(key)
    }
  }
}
