import { AxiosError, CanceledError, type InternalAxiosRequestConfig } from 'axios'
import type { Clock } from '../core'

/** The error axios itself gives a request whose `timeout` passed. */
function timeoutError(config: InternalAxiosRequestConfig): AxiosError {
  const message = config.timeoutErrorMessage || `timeout of ${config.timeout}ms exceeded`
  return new AxiosError(message, config.transitional?.clarifyTimeoutError ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED, config)
}

/**
 * Waits for `ready` (the end of a refresh) while honouring what axios honours for a request in
 * flight: its `CancelToken` and its `timeout` act while it is held, not only once it is sent.
 * (`signal` is honoured by the hold itself.) Requests with neither wait on `ready` as it is.
 *
 * @returns A promise that settles like `ready`, or rejects as axios would on cancel or timeout.
 */
export function boundedByRequest(ready: Promise<unknown>, config: InternalAxiosRequestConfig, clock: Clock): Promise<unknown> {
  const { cancelToken } = config
  const timeout = config.timeout ?? 0
  if (!cancelToken && !(timeout > 0)) return ready
  if (cancelToken?.reason) return Promise.reject(cancelToken.reason)
  return new Promise<unknown>((resolve, reject) => {
    const finish = <Value>(settle: (value: Value) => void, value: Value) => {
      clock.clearTimeout(timer)
      cancelToken?.unsubscribe(onCancel)
      settle(value)
    }
    const onCancel = (reason: unknown) => finish(reject, reason ?? new CanceledError(undefined, config))
    cancelToken?.subscribe(onCancel)
    const timer = timeout > 0 ? clock.setTimeout(() => finish(reject, timeoutError(config)), timeout) : undefined
    ready.then(
      () => finish(resolve, undefined),
      (error: unknown) => finish(reject, error),
    )
  })
}

/** What is left of a request's `timeout` after it waited `waitedMs` for a refresh. */
export function timeoutLeft(config: InternalAxiosRequestConfig, waitedMs: number): number | undefined {
  const timeout = config.timeout ?? 0
  return timeout > 0 ? Math.max(1, timeout - waitedMs) : config.timeout
}
