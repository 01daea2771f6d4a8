import type { InternalAxiosRequestConfig } from 'axios'
import { ReauthError } from '../core'
import type { RequestStamp } from './request-stamp'

/**
 * A body that the first send consumed: a Node stream, a web `ReadableStream`, an async
 * iterable. Sending it again would send nothing (the server sees an empty body, the app a
 * success). Strings, buffers, `Blob`s, `FormData`, `URLSearchParams` and plain objects replay.
 */
function isConsumedBySending(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false
  if (typeof (data as { pipe?: unknown }).pipe === 'function') return true
  if (typeof ReadableStream === 'function' && data instanceof ReadableStream) return true
  return Symbol.asyncIterator in data
}

/**
 * Why a request that got 401 (or a DPoP nonce challenge) must not be sent again, or
 * `undefined` when it may be. Every send counts: a request goes out twice at most.
 *
 * @param config - The request as it was sent.
 * @param stamp - What the client recorded on it.
 * @param cause - The error it got, kept as `cause`.
 */
export function whyNotSentAgain(config: InternalAxiosRequestConfig, stamp: RequestStamp, cause: unknown): ReauthError | undefined {
  if (config.replay === false) {
    return new ReauthError('replay-skipped', 'The request got 401 and was not sent again because it has { replay: false }. The token is fresh now: send it again if that is safe.', { cause })
  }
  if (stamp.replayed || stamp.nonceRetried) {
    return new ReauthError('replay-skipped', 'The request got 401 after it was already sent twice (once more for a refreshed token or a DPoP nonce), and is not sent a third time. Send it again yourself if that is safe.', { cause })
  }
  if (isConsumedBySending(config.data)) {
    return new ReauthError('body-not-replayable', 'The request got 401 and was not sent again: its body is a stream, which the first send consumed. The token is fresh now: send it again with a new stream, or pass the body as a string, Buffer, Blob or FormData so that it can be replayed.', { cause })
  }
  return undefined
}
