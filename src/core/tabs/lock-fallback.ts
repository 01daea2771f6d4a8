import type { Logger } from '../support/logger'
import type { TabLock } from './lock'

const describeFailure = (error: unknown): string => {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown }
  if (typeof code === 'string' && name === 'ReauthError') return code
  return typeof name === 'string' && name ? name : 'unknown failure'
}

/**
 * Wraps a cross-tab lock so that a lock which exists but cannot be taken never blocks a refresh.
 * Web Locks denied in a sandboxed iframe (`SecurityError`), a `query()` that throws, a lease in a
 * full localStorage (`QuotaExceededError`) or one that never sticks: the refresh then runs
 * without the lock, and one warning says so. The lock is tried again at the next refresh, since
 * storage that was full may have room again; failures of `run` itself are passed on untouched.
 *
 * @param lock - The lock to use while it works.
 * @param logger - Where the one warning goes.
 * @returns A lock with the same contract that calls `run` exactly once per call.
 */
export function lockOrRunUnlocked(lock: TabLock, logger: Logger): TabLock {
  let warned = false
  return async (name, holdBoundMs, run) => {
    let entered = false
    try {
      return await lock(name, holdBoundMs, () => {
        entered = true
        return run()
      })
    } catch (error) {
      // Once `run` started, its outcome is the refresh's: never run it a second time.
      if (entered) throw error
      if (!warned) {
        warned = true
        logger.warn(
          `[axios-reauth] The cross-tab lock could not be taken (${describeFailure(error)}): this tab refreshes without it, so two tabs may refresh at once. Free space in localStorage, or allow Web Locks (a sandboxed iframe needs allow-same-origin).`,
        )
      }
      return run()
    }
  }
}
