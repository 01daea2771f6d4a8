import { abortable } from './abortable'

/** Holds requests while a refresh runs, then releases or rejects every one of them. */
export interface RequestQueue {
  /** Number of requests waiting. */
  readonly size: number
  /** From now on, `hold` parks requests until `release` or `rejectAll`. */
  pause(): void
  /**
   * Waits until the queue is released. Rejects with the `rejectAll` error, or with the signal's
   * reason when the signal aborts first (the request then leaves the queue). Resolves at once
   * when the queue is not paused.
   */
  hold(signal?: AbortSignal | null): Promise<void>
  /** Lets every held request go, in the order they arrived. */
  release(): void
  /** Rejects every held request with `error`, then stops holding. */
  rejectAll(error: unknown): void
}

/** One pause: every request held during it waits on the same promise. */
interface Gate {
  readonly promise: Promise<void>
  open(): void
  fail(error: unknown): void
  waiting: number
  /** Requests sharing a signal share one abortable wait: one listener per signal, not per request. */
  readonly bySignal: WeakMap<AbortSignal, { readonly wait: Promise<void>; count: number }>
}

function createGate(): Gate {
  let open!: () => void
  let fail!: (error: unknown) => void
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve
    fail = reject
  })
  // Nobody may be waiting when the pause fails; the failure is then nobody's to handle.
  promise.catch(() => {})
  return { promise, open, fail, waiting: 0, bySignal: new WeakMap() }
}

/**
 * Creates the hold queue. A pause is one promise that every held request waits on, so a held
 * request costs its reaction on that promise and nothing more: ten thousand requests made during
 * a refresh allocate no task, no closure and no promise of their own. Reactions run in the order
 * they were registered, so held requests are released in the order they arrived; a rejected
 * pause settles every one of them exactly once.
 */
export function createRequestQueue(): RequestQueue {
  let gate: Gate | undefined

  return {
    get size() {
      return gate?.waiting ?? 0
    },
    pause() {
      gate ??= createGate()
    },
    hold(signal) {
      const held = gate
      if (!held) return Promise.resolve()
      if (!signal) {
        held.waiting++
        return held.promise
      }
      if (signal.aborted) return Promise.reject(signal.reason)
      let group = held.bySignal.get(signal)
      if (!group) {
        const joined = { wait: abortable(held.promise, signal), count: 0 }
        // An abort takes every request of that signal out of the count at once.
        joined.wait.catch(() => {
          if (gate === held) held.waiting -= joined.count
        })
        held.bySignal.set(signal, joined)
        group = joined
      }
      group.count++
      held.waiting++
      return group.wait
    },
    release() {
      const held = gate
      gate = undefined
      held?.open()
    },
    rejectAll(error) {
      const held = gate
      gate = undefined
      held?.fail(error)
    },
  }
}
