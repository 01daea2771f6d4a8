import { ConfigurationError } from '../errors'
import type { Logger } from '../support/logger'
import type { Clock } from '../time/clock'
import type { TokenStorage } from '../tokens/storage'
import { coordinateTabs, type NamedTabCoordinator } from './coordinate-tabs'
import type { CrossTabOptions } from './coordinator'
import { connectTabs, DEFAULT_ASK_TIMEOUT_MS } from './sync'

/** What a client hands its {@link CrossTab} when it opens: its storage, timers, lease and logger. */
export interface CrossTabContext {
  readonly storage: TokenStorage
  readonly clock: Clock
  /** How long a storage lease lasts: the refresh timeout plus a margin. */
  readonly leaseMs: number
  readonly logger: Logger
}

/** The coordinator a client opened, with how its session joins the other tabs. */
export interface OpenedTabs extends NamedTabCoordinator {
  /** How long a new tab with memory storage waits for another tab's tokens, in ms. */
  readonly askTimeoutMs: number
  /** Connects the session to the other tabs: their tokens, sign-outs and questions. */
  readonly connect: typeof connectTabs
}

/**
 * The `crossTab` option's value, made by {@link crossTab} (or carried by
 * `webStorage(localStorage)`): opens the coordination of one client, or returns `undefined`
 * where it works as a single tab.
 */
export type CrossTab = (context: CrossTabContext) => OpenedTabs | undefined

// Timers fire at once past 2^31 - 1 ms.
const MAX_ASK_TIMEOUT_MS = 2_147_483_647

/**
 * Coordinates the tabs of this origin, for the `crossTab` option: one refresh at a time under a
 * Web Lock (re-reading the shared tokens first), tokens and sign-out broadcast to every tab, and
 * with memory storage a new tab asks the others for their tokens. `webStorage(localStorage)`
 * carries it already; memory storage needs it with a `name`. Opt-in: an app that does not import
 * it (or `webStorage`) does not ship the locks and channels.
 *
 * Only ever in a page (a document in a window): in Node, Deno, Bun, SSR and workers every client
 * is a single tab, even where Web Locks and BroadcastChannel exist.
 *
 * @param options - `name` names the session the tabs share (@default `axios-reauth:<key>` for
 *   `webStorage(storage, key)`, none for memory storage); `askTimeoutMs` (@default 300).
 * @returns The coordination to pass as `crossTab`.
 * @throws ConfigurationError `invalid-option` for an empty name or an `askTimeoutMs` that is not
 *   a non-negative number of milliseconds.
 * @example
 * ```ts
 * import { createAuthClient, crossTab } from 'axios-reauth'
 *
 * // Memory storage, shared by the tabs:
 * const auth = createAuthClient({ refresh, crossTab: crossTab({ name: 'my-app' }) })
 * ```
 */
export function crossTab(options: CrossTabOptions = {}): CrossTab {
  const { name, askTimeoutMs = DEFAULT_ASK_TIMEOUT_MS } = options ?? {}
  if (name !== undefined && (typeof name !== 'string' || name.length === 0)) {
    throw new ConfigurationError('invalid-option', "crossTab() refused its name: it must be a non-empty string. Pass e.g. crossTab({ name: 'my-app' }), or leave it out to name the session by the storage key.")
  }
  if (typeof askTimeoutMs !== 'number' || !(askTimeoutMs >= 0 && askTimeoutMs <= MAX_ASK_TIMEOUT_MS)) {
    throw new ConfigurationError('invalid-option', `crossTab() refused askTimeoutMs (${typeof askTimeoutMs === 'number' ? askTimeoutMs : typeof askTimeoutMs}): it must be a non-negative, finite number of milliseconds, at most ${MAX_ASK_TIMEOUT_MS}. Pass e.g. crossTab({ name: 'my-app', askTimeoutMs: 300 }), or leave it out for the default.`)
  }
  return (context) => {
    const tabs = coordinateTabs({ ...context, name })
    return tabs && { ...tabs, askTimeoutMs, connect: connectTabs }
  }
}
