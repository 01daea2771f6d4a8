import type { Logger } from '../support/logger'

/** Runs a send under the replay limit; settles as the send does. */
export type ReplayLimit = <T>(send: () => Promise<T>) => Promise<T>

/**
 * The cap on requests released at once after a refresh: the held requests and the replays of the
 * 401s, so that ten thousand of them do not reach the API in one instant. A slot is taken when
 * the request is sent and given back when its response (or error) is in; the rest wait in
 * arrival order, each sent with the token current when its turn comes. `Infinity` (the
 * default) means no cap, and no queue at all.
 *
 * p-queue keeps the slots, and only a client with a cap loads it: a dynamic import, which app
 * bundlers put in a chunk of its own, so that the bundle of every other app leaves it out.
 * Loading starts here, when the client is created, long before its first refresh ends; a send
 * released before it is done waits for it. Should it fail to load (a chunk the network lost),
 * released requests go uncapped rather than fail, with one warning.
 * @param concurrency - How many released requests may be in flight at once.
 * @param logger - Where the warning of a failed load goes.
 * @returns The limit, or `undefined` for no cap.
 * @example
 * ```ts
 * const limit = createReplayLimit(6, console)
 * const response = await (limit ? limit(() => instance.request(config)) : instance.request(config))
 * ```
 */
export function createReplayLimit(concurrency: number, logger: Logger): ReplayLimit | undefined {
  if (concurrency === Number.POSITIVE_INFINITY) return undefined
  const loaded = import('p-queue').then(
    ({ default: PQueue }) => new PQueue({ concurrency }),
    (error: unknown) => {
      logger.warn(`[axios-reauth] replayConcurrency is not applied: p-queue did not load (${error instanceof Error ? error.message : String(error)}). Released requests go uncapped.`)
      return undefined
    },
  )
  // Each send joins the queue in the order it was released, whether or not p-queue was in yet.
  return (send) => loaded.then((queue) => (queue ? queue.add(send) : send()))
}
