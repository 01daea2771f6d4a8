import type { Clock } from '../time/clock'

/** The refresh function did not settle in time. */
export class RefreshTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the refresh function did not settle within ${timeoutMs} ms`)
    this.name = 'RefreshTimeoutError'
  }
}

/**
 * Settles like `work`, or rejects with {@link RefreshTimeoutError} after `timeoutMs`, aborting
 * `controller` so that the HTTP call behind `work` stops too. A hung refresh never holds a
 * lock, a queue or a caller forever.
 */
export function timebox<T>(work: Promise<T>, timeoutMs: number, clock: Clock, controller: AbortController): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => {
      const error = new RefreshTimeoutError(timeoutMs)
      controller.abort(error)
      reject(error)
    }, timeoutMs)
    work.then(resolve, reject).finally(() => clock.clearTimeout(timer))
  })
}
