import type { NamedTabCoordinator } from '../tabs/coordinate-tabs'
import { createSessionPort } from './create-session'
import type { ResolvedClientOptions } from './options'
import type { SessionPort } from './types'

/** A client's session with the tab coordinator it opened, which the client closes on dispose. */
export interface OpenedSession {
  readonly session: SessionPort
  readonly tabs: NamedTabCoordinator | undefined
}

/**
 * Opens the session of a client from its resolved options: the tab coordinator its `crossTab`
 * opens (or none, for a single tab), then the session on it. Every client, whatever HTTP glue it has, starts here.
 * @example
 * ```ts
 * const { session, tabs } = openSession(resolveClientOptions({ refresh }))
 * ```
 */
export function openSession(resolved: ResolvedClientOptions): OpenedSession {
  const { storage, clock, logger } = resolved
  const tabs = resolved.crossTab?.({ storage, clock, leaseMs: resolved.tabLeaseMs, logger })
  const session = createSessionPort(
    {
      refresh: resolved.refresh,
      tokens: resolved.tokens,
      onLoginRequired: resolved.onLoginRequired,
      refreshTimeoutMs: resolved.refreshTimeoutMs,
      reauthenticate: resolved.reauthenticate,
      reauthenticateTimeoutMs: resolved.reauthenticateTimeoutMs,
      stepUp: resolved.stepUp,
      leewaySeconds: resolved.leewayMs / 1000,
      classifyRefreshFailure: resolved.classifyRefreshFailure,
      refreshTokenInCookie: resolved.refreshTokenInCookie,
      storage,
      clock,
      logger,
      tabs,
      tabLockName: tabs?.name,
      askTimeoutMs: tabs?.askTimeoutMs,
    },
    tabs?.connect,
  )
  return { session, tabs }
}
