import { ReauthError } from '../core/errors'

/** The request to send first, and the one to send again after a refresh (`undefined`: it cannot be). */
export interface ReplayCopies {
  readonly first: Request
  readonly replay: Request | undefined
}

/** A body that sending consumes and that nothing keeps: a web `ReadableStream`, a Node stream, an async iterable. */
function isStream(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false
  if (typeof ReadableStream === 'function' && body instanceof ReadableStream) return true
  return typeof (body as { pipe?: unknown }).pipe === 'function' || Symbol.asyncIterator in body
}

/**
 * Keeps a request replayable before its first send. Without a body, the same request goes
 * twice. A body given as a string, `FormData`, `URLSearchParams`, `Blob` or buffer, or carried
 * by a `Request` input, is kept by a clone made now (the clone's body is buffered as the first
 * send reads the other). A stream given as `init.body` is the app's upload, which may be
 * endless: it is sent once and never buffered, so that request cannot be replayed.
 */
export function replayCopies(request: Request, init: RequestInit): ReplayCopies {
  if (request.body === null) return { first: request, replay: request }
  if (isStream(init.body)) return { first: request, replay: undefined }
  return { first: request.clone(), replay: request }
}

/**
 * What a request that got 401 sends after the refresh: its replay copy, or the error that says
 * why it is not sent again (`{ replay: false }`, or a stream body, which nothing kept).
 * @param replayCopy - The copy kept for the replay; `undefined` when there is none.
 * @param replay - The request's `replay` option.
 * @param cause - The 401, kept as `cause`.
 */
export function replayOrRefusal(replayCopy: Request | undefined, replay: unknown, cause: unknown): Request | ReauthError {
  if (replay === false) {
    return new ReauthError('replay-skipped', 'The request got 401 and was not sent again because it has { replay: false }. The token is fresh now: send it again if that is safe.', { cause })
  }
  return (
    replayCopy ??
    new ReauthError('body-not-replayable', 'The request got 401 and was not sent again: its body is a stream, which the first send consumed. The token is fresh now: send it again with a new stream, or pass the body as a string, Blob, FormData or buffer so that it can be replayed.', { cause })
  )
}
