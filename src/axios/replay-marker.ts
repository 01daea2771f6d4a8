/**
 * What axios-reauth records on a request's config. It lives on the config under a string key
 * because axios copies string keys (not symbols) into the config of a replayed request.
 */
export interface RequestStamp {
  /** The session generation whose token the request was sent with. */
  generation: number
  /** True once the request was replayed: a second 401 never refreshes again. */
  replayed: boolean
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

/** Records the generation a request goes out with, keeping the replay flag. */
export function writeStamp(config: object, generation: number, stamped: boolean): void {
  const replayed = readStamp(config)?.replayed ?? false
  ;(config as Carrier)[key] = { generation, replayed, stamped } satisfies RequestStamp
}

/** Marks a config as a replay, so that its 401 can't loop. */
export function markReplayed<T extends object>(config: T): T {
  const stamp = readStamp(config)
  ;(config as Carrier)[key] = { generation: stamp?.generation ?? -1, replayed: true, stamped: stamp?.stamped ?? false }
  return config
}
