import PQueue from 'p-queue'

/** Runs a send under the replay limit; settles as the send does. */
export type ReplayLimit = <T>(send: () => Promise<T>) => Promise<T>

/**
 * The cap on requests released at once after a refresh: the held requests and the replays of the
 * 401s, so that ten thousand of them do not reach the API in one instant. A slot is taken when
 * the request is sent and given back when its response (or error) is in; the rest wait in
 * arrival order, each sent with the token current when its turn comes. `Infinity` (the
 * default) means no cap, and no queue at all.
 * @param concurrency - How many released requests may be in flight at once.
 * @returns The limit, or `undefined` for no cap.
 * @example
 * ```ts
 * const limit = createReplayLimit(6)
 * const response = await (limit ? limit(() => instance.request(config)) : instance.request(config))
 * ```
 */
export function createReplayLimit(concurrency: number): ReplayLimit | undefined {
  if (concurrency === Number.POSITIVE_INFINITY) return undefined
  const queue = new PQueue({ concurrency })
  return (send) => queue.add(send)
}
