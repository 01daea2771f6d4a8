/**
 * What one client records on a request it handled. A class instance on purpose: axios's
 * `mergeConfig` copies it by reference into the config of a re-sent request (no copy per
 * replay), and the header value it remembers is private, so `error.toJSON()` never shows it.
 */
export class RequestStamp {
  readonly #header: string | undefined
  // Stamps are shared by every request sent with one token, so their retried twins are made once too.
  #replayedTwin: RequestStamp | undefined
  #nonceRetriedTwin: RequestStamp | undefined

  /**
   * @param generation - The session generation whose token the request was sent with.
   * @param header - The `Authorization` value this client wrote, if it wrote one.
   * @param replayed - Sent again after a refresh: a second 401 never refreshes again.
   * @param nonceRetried - Sent again with a fresh DPoP nonce: never twice.
   */
  constructor(
    readonly generation: number,
    header?: string,
    readonly replayed = false,
    readonly nonceRetried = false,
  ) {
    this.#header = header
  }

  /** True when `value` is the very header this client wrote (the app has not replaced it). */
  wrote(value: unknown): boolean {
    return this.#header !== undefined && value === this.#header
  }

  /** The same stamp, marked as retried for `reason` (made once per stamp, then shared). */
  retried(reason: 'replayed' | 'nonceRetried'): RequestStamp {
    if (reason === 'replayed') return (this.#replayedTwin ??= this.replayed ? this : new RequestStamp(this.generation, this.#header, true, this.nonceRetried))
    return (this.#nonceRetriedTwin ??= this.nonceRetried ? this : new RequestStamp(this.generation, this.#header, this.replayed, true))
  }

  /** This stamp's marks of retries carried over to `fresh`, the stamp of the token a retry is sent with. */
  carriedTo(fresh: RequestStamp): RequestStamp {
    const replayed = this.replayed ? fresh.retried('replayed') : fresh
    return this.nonceRetried ? replayed.retried('nonceRetried') : replayed
  }
}

type Carrier = Record<string, unknown>

/**
 * `key` as the engine's own copy of a property name. A string built at run time is not one, and
 * V8 then looks it up in its string table on every `config[key]`: on the happy path that cost
 * about 4% of a bare axios request. The keys of an object are such copies.
 */
const internalized = (key: string): string => Object.keys({ [key]: true })[0]!

/** Reads and writes one client's stamps; each client has its own key, so two clients never take each other's requests. */
export interface RequestStamps {
  read(config: object | undefined): RequestStamp | undefined
  /** Whether this client stamped the config. */
  owns(config: object | undefined): boolean
  write(config: object, stamp: RequestStamp): void
  remove(config: object): void
  /** Marks a config as retried for `reason`, so that its next 401 can't loop. */
  markRetried<T extends object>(config: T, reason: 'replayed' | 'nonceRetried'): T
}

/**
 * Creates the stamp store of one client. The key is a string (axios copies string keys, not
 * symbols, into the config of a re-sent request) unique to the client.
 * @example
 * ```ts
 * const stamps = createRequestStamps()
 * stamps.write(config, new RequestStamp(3, 'Bearer …'))
 * ```
 */
export function createRequestStamps(id = Math.random().toString(36).slice(2)): RequestStamps {
  const key = internalized(`axios-reauth:${id}`)
  // What a config that this client never sent is marked from.
  const unsent = new RequestStamp(-1)
  const read = (config: object | undefined) => {
    const value = config ? (config as Carrier)[key] : undefined
    return value instanceof RequestStamp ? value : undefined
  }
  return {
    read,
    owns: (config) => read(config) !== undefined,
    write(config, stamp) {
      ;(config as Carrier)[key] = stamp
    },
    remove(config) {
      if (key in config) delete (config as Carrier)[key]
    },
    markRetried(config, reason) {
      ;(config as Carrier)[key] = (read(config) ?? unsent).retried(reason)
      return config
    },
  }
}
