import { ConfigurationError } from '../core/errors'
import type { Session } from '../core/session/types'
import type { SessionPort } from '../core/internal'

/** What the fetch glue is given: the client of `createAuthSession()`, or of `createAuthClient()`. */
export interface SessionClient {
  readonly session: Session
}

const portMembers = ['whenReady', 'recover', 'rejectReplay', 'isRefreshCall'] as const

/**
 * The internal port of a client's session, which the glue needs to hold, recover and replay.
 * Every client of this package has one behind `session`.
 * @throws ConfigurationError `invalid-option` for anything else.
 */
export function sessionPortOf(client: SessionClient, caller: string): SessionPort {
  const session = (client as { session?: Partial<Record<(typeof portMembers)[number], unknown>> } | null | undefined)?.session
  if (!session || portMembers.some((name) => typeof session[name] !== 'function')) {
    const got = client === null ? 'null' : typeof client
    throw new ConfigurationError('invalid-option', `${caller} needs an auth client (got ${got} without a session): pass what createAuthSession() or createAuthClient() returned.`)
  }
  return session as unknown as SessionPort
}
