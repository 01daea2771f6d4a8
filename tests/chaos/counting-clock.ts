import { createSystemClock, type Clock } from 'axios-reauth'

/** The system clock, counting the timers the library has pending (unref'd timers are invisible to Node's own counts). */
export interface CountingClock extends Clock {
  readonly pendingTimers: number
}

export function createCountingClock(): CountingClock {
  const system = createSystemClock()
  const pending = new Set<unknown>()
  return {
    now: () => system.now(),
    setTimeout(callback, ms) {
      const handle: unknown = system.setTimeout(() => {
        pending.delete(handle)
        callback()
      }, ms)
      pending.add(handle)
      return handle
    },
    clearTimeout(handle) {
      pending.delete(handle)
      system.clearTimeout(handle)
    },
    get pendingTimers() {
      return pending.size
    },
  }
}
