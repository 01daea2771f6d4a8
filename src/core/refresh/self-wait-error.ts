import { ConfigurationError } from '../errors'

/**
 * The failure of a refresh that timed out while requests sent during it were held, with no
 * refresh token to tell its own call apart (cookie mode). The likely cause is a call that the
 * refresh function sends through an attached instance after an `await`, without its `signal`:
 * held behind the refresh it belongs to, it can never answer. Said as a setup to fix, not as a
 * passing failure, so that the deadlock is never a silent timeout.
 *
 * @param timeoutMs - The `refreshTimeoutMs` that passed.
 * @param held - How many requests were held when it passed.
 * @param cause - The timeout.
 * @returns A `ConfigurationError` coded `invalid-option` whose message names the fix.
 */
export function selfWaitError(timeoutMs: number, held: number, cause: unknown): ConfigurationError {
  const requests = held === 1 ? '1 request sent during it was held' : `${held} requests sent during it were held`
  return new ConfigurationError(
    'invalid-option',
    `The token refresh timed out after ${timeoutMs} ms while ${requests}: a call the refresh function sends through an attached instance after an await, without its signal, waits behind the refresh it belongs to (with the refresh token in a cookie, nothing tells it apart). Pass \`signal\` (or \`skipAuth: true\`) to that call, or send it with a separate axios instance; if the token endpoint is only slow, raise refreshTimeoutMs.`,
    { cause },
  )
}
