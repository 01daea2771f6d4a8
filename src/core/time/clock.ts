/** Time source and timers, injectable so that tests move time by hand. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number
  /** Schedules `callback`; the handle is passed back to `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown
  /** Cancels a timer that `setTimeout` returned; an unknown or fired handle is ignored. */
  clearTimeout(handle: unknown): void
}

/**
 * The system clock. Globals are looked up at each call, not captured once, so fake timers
 * installed after the client was created still apply. Timers never keep a Node process alive.
 * @example
 * ```ts
 * createAuthClient({ refresh, clock: createSystemClock() }) // the default
 * ```
 */
export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout(callback, ms) {
      const handle = globalThis.setTimeout(callback, ms) as unknown as { unref?: () => void }
      handle.unref?.()
      return handle
    },
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  }
}
