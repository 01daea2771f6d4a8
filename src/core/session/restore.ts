import type { Clock } from '../time/clock'
import { createDeferred } from '../support/deferred'
import type { Tokens } from '../types'
import type { Credential, SessionEvent } from './state'

/** What restoring needs of its session. */
export interface RestoreDeps {
  readonly clock: Clock
  dispatch(event: SessionEvent): void
  received(tokens: Tokens): Credential
}

/**
 * Restoring: requests wait while tokens are read from an asynchronous storage or asked of the
 * other tabs. The session is `restored` once every source has answered (or its bound passed),
 * with the first tokens any of them had; tokens or a sign-out that came meanwhile win.
 * @example
 * ```ts
 * const restore = createRestore(deps)
 * restore.from(storage.get(), 15_000)
 * ```
 */
export function createRestore(deps: RestoreDeps) {
  let sources = 0
  let restoredCredential: Credential | undefined
  const restoreDone = createDeferred<void>()
  // The bounds still running, so that stop() leaves no timer behind.
  const timers = new Set<unknown>()

  /** Holds requests until `source` settles; the session is restored when every source has. */
  const from = (source: Promise<Tokens | undefined | void>, boundMs: number, onBound?: () => void) => {
    sources += 1
    deps.dispatch({ type: 'restoreStarted' })
    let settled = false
    const finish = (tokens: Tokens | undefined | void) => {
      if (settled) return
      settled = true
      deps.clock.clearTimeout(timer)
      timers.delete(timer)
      if (tokens && !restoredCredential) restoredCredential = deps.received(tokens)
      if (--sources > 0) return
      deps.dispatch({ type: 'restored', credential: restoredCredential })
      restoreDone.resolve()
    }
    // A storage that never answers must not hold every request forever.
    const timer = Number.isFinite(boundMs)
      ? deps.clock.setTimeout(() => {
          onBound?.()
          finish(undefined)
        }, boundMs)
      : undefined
    if (timer !== undefined) timers.add(timer)
    source.then(finish, () => finish(undefined))
  }

  /** Gives up on every source (the session was disposed): no timer left, nobody kept waiting. */
  const stop = () => {
    for (const timer of timers) deps.clock.clearTimeout(timer)
    timers.clear()
    restoreDone.resolve()
  }

  return {
    from,
    stop,
    /** Settles once the session is restored. */
    done: restoreDone.promise,
  }
}
