import type { Clock } from '../time/clock'
import { detectTabCoordinator, isBrowsingContext, type TabCoordinator } from './coordinator'
import type { Logger } from '../support/logger'
import { lockOrRunUnlocked } from './lock-fallback'
import { claimTabName } from './names'
import type { TokenStorage } from '../tokens/storage'

/** What a client needs to decide whether and how its tabs coordinate. */
export interface CoordinateTabsOptions {
  /** The session's name, from `crossTab({ name })`; else the storage's key names it. */
  name: string | undefined
  storage: TokenStorage
  clock: Clock
  /** How long a storage lease lasts: the refresh timeout plus a margin. */
  leaseMs: number
  logger: Logger
}

/** A coordinator with the name of the session it coordinates. */
export interface NamedTabCoordinator extends TabCoordinator {
  readonly name: string
}

/**
 * Opens cross-tab coordination for one client, or returns `undefined` for a single tab:
 * - outside a page (a server, a worker), whatever globals it has: a server process is not a
 *   tab, and a process-wide channel would mix the sessions of different users;
 * - when the session has no name: the name must identify the session, and only a `webStorage`
 *   key or an explicit `crossTab({ name })` does (memory storage has none), so two clients of one page
 *   never exchange tokens by accident; a warning names the fix;
 * - in a page without the APIs (and, for tokens not in localStorage, without BroadcastChannel,
 *   since the fallback would write them into web storage).
 * Two live clients of one page claiming the same name get a warning: they share one session.
 * A lock that exists but cannot be taken (Web Locks denied, a full localStorage) never fails a
 * refresh: that refresh runs as in a single tab, with one warning.
 * @example
 * ```ts
 * const tabs = coordinateTabs({ name: 'my-app', storage, clock, leaseMs: 20_000, logger: console })
 * ```
 */
export function coordinateTabs(options: CoordinateTabsOptions): NamedTabCoordinator | undefined {
  const { storage, logger } = options
  // Silently: a server creates a client per request, and a note each time would flood its logs.
  if (!isBrowsingContext()) return undefined
  const key = (storage as { key?: unknown }).key
  const name = options.name ?? (typeof key === 'string' ? `axios-reauth:${key}` : undefined)
  if (!name) {
    logger.warn("[axios-reauth] Cross-tab is off: the storage has no key to name the session. Pass crossTab: crossTab({ name: 'my-app' }).")
    return undefined
  }
  const sharedStorage = Boolean(storage.sharedAcrossTabs)
  const tabs = detectTabCoordinator(name, options.clock, options.leaseMs, { sharedStorage })
  if (!tabs) {
    if (!sharedStorage) logger.warn('[axios-reauth] Cross-tab is off: this browser lacks BroadcastChannel, and tokens in memory never go to web storage. Use webStorage(localStorage) to share them.')
    return undefined
  }
  const claim = claimTabName(globalThis.document, name)
  if (claim.alreadyClaimed) {
    logger.warn(`[axios-reauth] Two clients of this page share the session "${name}" and send each other's tokens. Give each its own storage key or crossTab({ name }), or dispose() the old one.`)
  }
  return {
    ...tabs,
    lock: lockOrRunUnlocked(tabs.lock, logger),
    name,
    close() {
      claim.release()
      tabs.close()
    },
  }
}
