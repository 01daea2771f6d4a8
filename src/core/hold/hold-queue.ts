import PQueue from 'p-queue'

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
 * Creates the hold queue on a paused p-queue. p-queue's `clear()` would drop tasks without
 * settling their promises, so it is never used: each pause is a batch, and `rejectAll` marks the
 * batch failed and starts the queue, so that every held task runs and rejects with the error.
 * Every held request settles through p-queue itself, exactly once.
 */
export function createRequestQueue(): RequestQueue {
  const queue = new PQueue({ autoStart: false })
  let batch: { error?: unknown } = {}

  return {
    get size() {
      return queue.size + queue.pending
    },
    pause() {
      if (!queue.isPaused) batch = {}
      queue.pause()
    },
    hold(signal) {
      const held = batch
      return queue.add(
        () => {
          if ('error' in held) throw held.error
        },
        signal ? { signal } : undefined,
      )
    },
    release() {
      queue.start()
    },
    rejectAll(error) {
      if (queue.isPaused) batch.error = error
      queue.start()
    },
  }
}
