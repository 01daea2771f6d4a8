import type { SessionPort } from '../session/types'

/** Subscribes `onWake` to the moments a sleeping app should look at its token again. */
export type WakeEvents = (onWake: () => void) => () => void

/** Keeps the token fresh ahead of expiry while started. */
export interface RefreshScheduler {
  start(): void
  stop(): void
}

// setTimeout fires at once for delays past 2^31 - 1 ms; a longer wait is taken in steps.
const MAX_DELAY_MS = 2_147_483_647

/**
 * The browser's wake-up moments: a tab that becomes visible, a window that gets focus, a device
 * back online. Timers in background tabs are throttled and laptops sleep, so a timer alone
 * would fire late; these re-check at once. Nothing is subscribed outside a browser.
 * @example
 * ```ts
 * const stop = browserWakeEvents(() => console.info('the app is awake'))
 * ```
 */
export const browserWakeEvents: WakeEvents = (onWake) => {
  const target = globalThis as Partial<Pick<Window, 'addEventListener' | 'removeEventListener' | 'document'>>
  if (typeof target.addEventListener !== 'function' || !target.document) return () => {}
  const onVisible = () => target.document?.visibilityState === 'visible' && onWake()
  target.document.addEventListener('visibilitychange', onVisible)
  target.addEventListener('focus', onWake)
  target.addEventListener('online', onWake)
  return () => {
    target.document?.removeEventListener('visibilitychange', onVisible)
    target.removeEventListener?.('focus', onWake)
    target.removeEventListener?.('online', onWake)
  }
}

/**
 * Creates a scheduler that refreshes when the token enters its leeway before expiry. It never
 * refreshes in a loop: the session pauses a failed attempt ahead of expiry for a growing time
 * (1 s, 2 s, 4 s … 60 s) and the timer waits that long; the shared single-flight refresh means a
 * timer and a 401 at the same moment cost one call. Timers go through the session's clock
 * (unref'd by default: a Node process is not kept alive).
 * @example
 * ```ts
 * const scheduler = createRefreshScheduler(auth.session)
 * scheduler.start() // what scheduleRefresh: true does while an instance is attached
 * ```
 */
export function createRefreshScheduler(session: SessionPort, wakeEvents: WakeEvents = browserWakeEvents): RefreshScheduler {
  const { clock } = session
  let timer: unknown
  let unsubscribe: Array<() => void> = []

  // Whatever happened (new tokens, a failure, a wake-up), ask the session when to look again.
  const check = () => {
    clock.clearTimeout(timer)
    const waitMs = session.refreshAhead()
    if (waitMs > 0 && Number.isFinite(waitMs)) timer = clock.setTimeout(check, Math.min(waitMs, MAX_DELAY_MS))
  }

  return {
    start() {
      if (unsubscribe.length > 0) return
      unsubscribe = [session.on('tokens', check), session.on('refresh:failure', check), wakeEvents(check)]
      check()
    },
    stop() {
      clock.clearTimeout(timer)
      for (const off of unsubscribe) off()
      unsubscribe = []
    },
  }
}
