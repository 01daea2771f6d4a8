import { CanceledError, type InternalAxiosRequestConfig } from 'axios'
import { isReauthError } from '../core'

/**
 * What a waiting request rejects with: axios's own `CanceledError` when its signal aborted
 * (so `axios.isCancel()` works as usual), else the session's typed error.
 */
export function toRequestError(error: unknown, config: InternalAxiosRequestConfig): unknown {
  if (isReauthError(error)) return error
  if ((config.signal as AbortSignal | undefined)?.aborted) return new CanceledError(undefined, config)
  return error
}
