import { isAxiosError, type AxiosInstance } from 'axios'
import type { Session } from '../core'
import { toRequestError } from './request-error'
import { markReplayed, readStamp } from './replay-marker'

/**
 * Builds the response-error interceptor: a 401 on a request that carried (or could have
 * carried) the session's token is judged by the generation it was sent with, then replayed
 * once through the same instance; everything else passes through untouched, same identity.
 */
export function createResponseErrorHandler(session: Session, instance: AxiosInstance) {
  return async (error: unknown): Promise<unknown> => {
    if (!isAxiosError(error) || error.response?.status !== 401 || !error.config) throw error
    const { config } = error
    const stamp = readStamp(config)
    if (!stamp) throw error
    if (stamp.replayed) throw session.rejectReplay(stamp.generation, error)
    try {
      await session.recover(stamp.generation, config.signal as AbortSignal | undefined)
    } catch (failure) {
      throw toRequestError(failure, config)
    }
    return instance.request(markReplayed(config))
  }
}
