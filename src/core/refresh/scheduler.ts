import { ConfigurationError } from '../errors'
import type { Session } from '../session/types'

/** Subscribes `onWake` to the moments a sleeping app should look at its token again. */
export type WakeEvents = (onWake: () => void) => () => void

/** Keeps the token fresh ahead of expiry while started. */
export interface RefreshScheduler {
  /** Starts the timer and the wake-up listeners; calling it again does nothing. */
  start(): void
  /** Stops both; `start()` may be called again. */
  stop(): void
}

/** What a scheduler needs of a session: its timers, its events, and when to look again. */
export interface SchedulableSession extends Pick<Session, 'clock' | 'on'> {
  /**
   * Starts a refresh if the token is due. Returns how many ms until it is worth asking again:
   * 0 when a refresh started or is in flight, `Infinity` when never.
   */
  refreshAhead(): number
}

/**
 * The `scheduleRefresh` option's value, made by {@link scheduledRefresh}: a client opens its
 * scheduler with it (for `createAuthClient()`, while an instance is attached).
 */
export type RefreshSchedule = (session: SchedulableSession) => RefreshScheduler

/** Options of {@link scheduledRefresh}. */
export interface ScheduledRefreshOptions {
  /**
   * What the schedule re-checks on: subscribe `onWake` to your own events and return the
   * unsubscribe function (React Native's `AppState`, a worker's messages).
   * @default visibilitychange, focus and online in a browser; none elsewhere
   */
  wakeEvents?: WakeEvents
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
 * scheduler.start() // what scheduleRefresh: scheduledRefresh() does while an instance is attached
 * ```
 */
export function createRefreshScheduler(session: SchedulableSession, wakeEvents: WakeEvents = browserWakeEvents): RefreshScheduler {
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

/**
 * Refreshes on a timer ahead of expiry, for the `scheduleRefresh` option, and re-checks when the
 * app wakes up (a tab that becomes visible, a window that gets focus, a device back online).
 * Without it, a refresh ahead of expiry still happens when a request is about to leave with an
 * expiring token. Opt-in: an app that does not import it does not ship the timers.
 *
 * @param options - `wakeEvents`: the moments to re-check at. @default the browser's
 * @returns The schedule to pass as `scheduleRefresh`.
 * @throws ConfigurationError `invalid-option` when `wakeEvents` is given and is not a function.
 * @example
 * ```ts
 * import { createAuthClient, scheduledRefresh } from 'axios-reauth'
 *
 * const auth = createAuthClient({ refresh, scheduleRefresh: scheduledRefresh() })
 * ```
 */
export function scheduledRefresh(options: ScheduledRefreshOptions = {}): RefreshSchedule {
  const wakeEvents = options?.wakeEvents ?? browserWakeEvents
  if (typeof wakeEvents !== 'function') {
    throw new ConfigurationError('invalid-option', 'scheduledRefresh() refused wakeEvents: it must be a function. Pass wakeEvents: (onWake) => unsubscribe, or leave it out.')
  }
  return (session) => createRefreshScheduler(session, wakeEvents)
}
