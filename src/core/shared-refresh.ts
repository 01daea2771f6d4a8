import { createDeferred, type Deferred } from './deferred'

/** The in-flight refresh, seen from outside. */
export interface RefreshFlight<T> {
  /** Settles once, with the outcome every caller shares. */
  readonly promise: Promise<T>
  /** Aborted on timeout or when the flight is cancelled. */
  readonly signal: AbortSignal
}

/** Single-flight runner: however many callers, at most one refresh call is in flight. */
export interface SharedRefresh<T> {
  /** The flight in progress, if any. */
  readonly current: RefreshFlight<T> | undefined
  /** True only while the refresh function itself is being called (its synchronous part). */
  readonly isCalling: boolean
  /**
   * Joins the flight in progress, or starts one with `call`. `conclude` runs once with the raw
   * outcome before any caller sees it, so state is consistent when callers resume; what it
   * returns or throws is what every caller gets.
   */
  join(call: (controller: AbortController) => Promise<T>, conclude: (outcome: Outcome<T>) => T): Promise<T>
  /** Ends the flight in progress at once with `conclude` applied, and aborts its call. */
  cancel(conclude: () => T): void
  /** Runs `fn` (the call of the refresh function) so that requests it sends count as the refresh call. */
  asRefreshCall<R>(fn: () => R): R
}

/** The raw result of one refresh call. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown }

interface Flight<T> extends RefreshFlight<T> {
  readonly deferred: Deferred<T>
  readonly controller: AbortController
  done: boolean
}

/**
 * Creates the single-flight runner. `call` is invoked synchronously inside `join` (not after a
 * microtask) so that a request the refresh function sends through an attached instance can be
 * recognised as the refresh call and never held behind itself.
 */
export function createSharedRefresh<T>(): SharedRefresh<T> {
  let current: Flight<T> | undefined
  let isCalling = false

  const finish = (flight: Flight<T>, conclude: () => T) => {
    if (flight.done) return
    flight.done = true
    if (current === flight) current = undefined
    try {
      flight.deferred.resolve(conclude())
    } catch (error) {
      flight.deferred.reject(error)
    }
  }

  return {
    get current() {
      return current
    },
    get isCalling() {
      return isCalling
    },
    join(call, conclude) {
      if (current) return current.promise
      const controller = new AbortController()
      const deferred = createDeferred<T>()
      // Callers that never await (timers, fire-and-forget) must not cause unhandled rejections.
      deferred.promise.catch(() => {})
      const flight: Flight<T> = { promise: deferred.promise, signal: controller.signal, deferred, controller, done: false }
      current = flight
      let pending: Promise<T>
      try {
        pending = call(controller)
      } catch (error) {
        pending = Promise.reject(error)
      }
      pending.then(
        (value) => finish(flight, () => conclude({ ok: true, value })),
        (error: unknown) => finish(flight, () => conclude({ ok: false, error })),
      )
      return flight.promise
    },
    asRefreshCall(fn) {
      const outer = isCalling
      isCalling = true
      try {
        return fn()
      } finally {
        isCalling = outer
      }
    },
    cancel(conclude) {
      const flight = current
      if (!flight) return
      flight.controller.abort(new Error('the refresh was superseded'))
      finish(flight, conclude)
    },
  }
}
