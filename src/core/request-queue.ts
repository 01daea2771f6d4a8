import PQueue from 'p-queue'
import { createDeferred, type Deferred } from './deferred'

/** Holds requests while a refresh runs, then releases or rejects every one of them. */
export interface RequestQueue {
  /** Number of requests waiting. */
  readonly size: number
  /** From now on, `hold` parks requests until `release` or `rejectAll`. */
  pause(): void
  /**
   * Waits until the queue is released. Rejects with the `rejectAll` error, or with the signal's
   * reason when the signal aborts first (the request then leaves the queue).
   */
  hold(signal?: AbortSignal | null): Promise<void>
  /** Lets every held request go, in the order they arrived. */
  release(): void
  /** Rejects every held request with `error`, then stops holding. */
  rejectAll(error: unknown): void
}

/**
 * Creates the hold queue on a paused p-queue. p-queue's `clear()` drops tasks without settling
 * their promises, so each held request also has a deferred that is tracked here and rejected
 * explicitly: no request is ever left pending.
 */
export function createRequestQueue(): RequestQueue {
  const queue = new PQueue({ autoStart: false })
  const held = new Set<Deferred<void>>()

  return {
    get size() {
      return held.size
    },
    pause() {
      queue.pause()
    },
    hold(signal) {
      const entry = createDeferred()
      held.add(entry)
      queue.add(() => entry.resolve(), signal ? { signal } : {}).catch((reason: unknown) => entry.reject(reason))
      return entry.promise.finally(() => held.delete(entry))
    },
    release() {
      queue.start()
    },
    rejectAll(error) {
      for (const entry of held) entry.reject(error)
      held.clear()
      queue.clear()
      queue.start()
    },
  }
}
