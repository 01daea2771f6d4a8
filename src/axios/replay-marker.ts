/**
 * What axios-reauth records on a request's config. It lives on the config under a string key
 * because axios copies string keys (not symbols) into the config of a replayed request.
 */
export interface RequestStamp {
  /** The session generation whose token the request was sent with. */
  generation: number
  /** True once the request was replayed after a refresh: a second 401 never refreshes again. */
  replayed: boolean
  /** True once the request was retried with a fresh DPoP nonce: never twice. */
  nonceRetried: boolean
  /** True when the `Authorization` header on the config was written by axios-reauth. */
  stamped: boolean
}

const key = 'axios-reauth'

type Carrier = Record<string, unknown>

/** Reads the stamp of a config, if axios-reauth handled the request. */
export function readStamp(config: object | undefined): RequestStamp | undefined {
  const value = config ? (config as Carrier)[key] : undefined
  return typeof value === 'object' && value !== null ? (value as RequestStamp) : undefined
}

/** Records the generation a request goes out with, keeping what earlier attempts recorded. */
export function writeStamp(config: object, generation: number, stamped: boolean): void {
  const previous = readStamp(config)
  ;(config as Carrier)[key] = {
    generation,
    stamped,
    replayed: previous?.replayed ?? false,
    nonceRetried: previous?.nonceRetried ?? false,
  } satisfies RequestStamp
}

/** Marks a config as retried for `reason`, so that its next 401 can't loop. */
export function markRetried<T extends object>(config: T, reason: 'replayed' | 'nonceRetried'): T {
  const stamp = readStamp(config) ?? { generation: -1, stamped: false, replayed: false, nonceRetried: false }
  ;(config as Carrier)[key] = { ...stamp, [reason]: true }
  return config
}
