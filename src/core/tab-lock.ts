import type { Clock } from './clock'
import type { StorageLike } from './token-storage'

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

/**
 * A lease in web storage, for browsers without Web Locks: a tab writes its id and an expiry,
 * reads it back, and owns the lock if its id stuck. The lease outlasts a live holder's refresh,
 * so it is only ever taken over from a tab that closed or froze, once it expires.
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
    for (;;) {
      const lease = read(key)
      if (!lease || lease.until <= clock.now()) {
        storage.setItem(key, JSON.stringify({ owner, until: clock.now() + leaseMs }))
        // Two tabs may write at once: the one whose id is still there after a beat owns it.
        await sleep(pollMs)
        if (read(key)?.owner === owner) break
      }
      await sleep(pollMs)
    }
    try {
      return await run()
    } finally {
      if (read(key)?.owner === owner) storage.removeItem(key)
    }
  }
}
