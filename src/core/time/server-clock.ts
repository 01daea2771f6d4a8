import type { Clock } from './clock'

/** The server's time as far as the client can tell, from the `Date` of its responses. */
export interface ServerClock {
  /** Server time now, in epoch ms. */
  now(): number
  /** How far the server's clock is ahead of this one, in ms (negative when behind). */
  readonly offsetMs: number
  /** Feeds the `Date` header of a response that just arrived. */
  observe(dateHeader: unknown): void
}

/**
 * Estimates the server's clock offset. A `Date` header has one-second resolution and the
 * response took time to arrive, so offsets under a second are noise and are ignored: only a
 * clock that is really off (a laptop set ten minutes fast) moves the estimate. The latest
 * sample wins, so a corrected client clock is picked up on the next response.
 * @example
 * ```ts
 * const serverClock = createServerClock(createSystemClock())
 * serverClock.observe(response.headers.date)
 * serverClock.now() // server time
 * ```
 */
export function createServerClock(clock: Clock): ServerClock {
  let offsetMs = 0
  let lastHeader: string | undefined
  return {
    now: () => clock.now() + offsetMs,
    get offsetMs() {
      return offsetMs
    },
    observe(dateHeader) {
      if (typeof dateHeader !== 'string' || dateHeader === lastHeader) return
      lastHeader = dateHeader
      const serverMs = Date.parse(dateHeader)
      if (Number.isNaN(serverMs)) return
      // The header truncates to the second: the middle of that second is the best guess.
      const sample = serverMs + 500 - clock.now()
      offsetMs = Math.abs(sample) < 1_500 ? 0 : sample
    },
  }
}
