import type { Clock } from 'axios-reauth'

/** A clock moved by hand: timers fire only in `advance`, in time order. */
export function createManualClock(start = Date.UTC(2026, 10, 25, 12, 0, 0)) {
  let now = start
  let nextId = 1
  const timers = new Map<number, { at: number; callback: () => void }>()
  const clock: Clock = {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++
      timers.set(id, { at: now + ms, callback })
      return id
    },
    clearTimeout(handle) {
      timers.delete(handle as number)
    },
  }
  return {
    clock,
    get pendingTimers() {
      return timers.size
    },
    /** Moves time forward, firing due timers one by one and letting promises settle between them. */
    async advance(ms: number) {
      const until = now + ms
      for (;;) {
        const due = [...timers.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0]
        if (!due) break
        timers.delete(due[0])
        now = Math.max(now, due[1].at)
        due[1].callback()
        for (let i = 0; i < 10; i++) await Promise.resolve()
      }
      now = until
      for (let i = 0; i < 10; i++) await Promise.resolve()
    },
  }
}
