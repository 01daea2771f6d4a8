import { createRefreshScheduler, createSession, createSystemClock, detectTabCoordinator, memoryStorage, type CrossTabOptions, type Diagnosis, type WakeEvents, type Session, type SessionEvents, type SessionOptions, type SessionStatus, type Tokens } from '../core'
import { attachSession } from './attach'
import { explainFailure } from './diagnose'
import { createRequestStamps } from './request-stamp'
import type { GlueOptions } from './glue-options'

/** Options of {@link createAuthClient}. */
export interface AuthClientOptions extends SessionOptions, GlueOptions {
  /**
   * Refresh on a timer ahead of expiry while an instance is attached, and re-check when the tab
   * becomes visible, gets focus or comes back online. Without it, a refresh ahead of expiry
   * still happens when a request is about to leave with an expiring token.
   * @default false
   */
  scheduleRefresh?: boolean
  /** Log a diagnosis of every 401 (tokens redacted) to `logger`, or to `console`. @default false */
  debug?: boolean
  /** The wake-up events `scheduleRefresh` listens to. @default visibilitychange, focus, online in a browser */
  wakeEvents?: WakeEvents
  /**
   * Coordinate the tabs of this origin: one refresh at a time under a Web Lock (re-reading the
   * shared tokens first), tokens and sign-out broadcast to every tab, and with memory storage a
   * new tab asks the others for the tokens. Feature-detected: a no-op in Node, SSR and workers
   * without the APIs.
   * @default true when `storage` is shared by tabs (localStorage), false otherwise
   */
  crossTab?: boolean | CrossTabOptions
}

/** A client: one session, attachable to any number of axios instances. */
export interface AuthClient {
  /** `'authenticated' | 'refreshing' | 'unauthenticated'`, derived from the session. */
  readonly status: SessionStatus
  /**
   * Installs the interceptors on an axios instance (attaching twice is a no-op).
   * @returns A function that removes them.
   * @throws ConfigurationError `invalid-option` when `instance` is not an axios instance.
   */
  attach(instance: unknown): () => void
  /** The current tokens (a copy), or `undefined`. */
  getTokens(): Tokens | undefined
  /**
   * Replaces the tokens, e.g. after a login; requests waiting for a refresh go with these.
   * @throws ConfigurationError `invalid-option` for a missing or non-string token.
   */
  setTokens(tokens: Tokens): void
  /** Signs out locally: forgets the tokens; waiting requests reject with `LoginRequiredError` (`signed-out`). */
  clearTokens(): void
  /** Refreshes now, or joins the refresh in flight. Rejects with the typed failure. */
  refresh(): Promise<Tokens>
  /** Explains why a request got 401, with this client's server time and leeway. */
  diagnose(error: unknown): Diagnosis
  /** Subscribes to a session event; returns the unsubscribe function. */
  on<Name extends keyof SessionEvents>(name: Name, listener: (payload: SessionEvents[Name]) => void): () => void
  /** The framework-free session underneath, for adapters. */
  readonly session: Session
}

/**
 * Creates an auth client. Each client owns its own session: two clients never share tokens,
 * which is what server-side rendering needs (one client per user request).
 *
 * @param options - `refresh` is required; everything else has a default.
 * @returns The client; call `attach(api)` on each axios instance that should use it.
 * @throws ConfigurationError `invalid-option` when `refresh` is missing or the initial tokens are malformed.
 * @example
 * ```ts
 * const auth = createAuthClient({
 *   refresh: async ({ refreshToken, signal }) => {
 *     const { data } = await axios.post('/auth/refresh', { refreshToken }, { signal })
 *     return { accessToken: data.access_token, refreshToken: data.refresh_token }
 *   },
 *   onLoginRequired: () => router.push('/login'),
 * })
 * auth.attach(api)
 * ```
 */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  const logger = options.logger ?? console
  const storage = options.storage ?? memoryStorage()
  const crossTab = options.crossTab ?? Boolean(storage.sharedAcrossTabs)
  const tabLockName = (typeof crossTab === 'object' && crossTab.name) || `axios-reauth:${(storage as { key?: string }).key ?? 'memory'}`
  const tabs = crossTab ? detectTabCoordinator(tabLockName, options.clock ?? createSystemClock(), (options.refreshTimeoutMs ?? 15_000) + 5_000) : undefined
  const session = createSession({
    ...options,
    storage,
    logger,
    tabs,
    tabLockName,
    askTimeoutMs: typeof crossTab === 'object' ? crossTab.askTimeoutMs : undefined,
  })
  const glue: GlueOptions = { ...options, logger: options.debug ? logger : undefined }
  const scheduler = options.scheduleRefresh ? createRefreshScheduler(session, options.wakeEvents) : undefined
  // This client's own marks on the requests it handles, under a key no other client uses.
  const stamps = createRequestStamps()
  const detachers = new WeakMap<object, () => void>()
  let attachedCount = 0
  return {
    get status() {
      return session.status
    },
    attach(instance) {
      // An axios instance is a function object; anything else is refused by attachSession.
      const key = instance as object
      const existing = detachers.get(key)
      if (existing) return existing
      const detachInterceptors = attachSession(session, instance, glue, stamps)
      if (++attachedCount === 1) scheduler?.start()
      const detach = () => {
        if (detachers.get(key) !== detach) return
        detachers.delete(key)
        detachInterceptors()
        if (--attachedCount === 0) scheduler?.stop()
      }
      detachers.set(key, detach)
      return detach
    },
    getTokens: session.getTokens,
    setTokens: session.setTokens,
    clearTokens: session.clearTokens,
    refresh: session.refresh,
    diagnose: (error) => explainFailure(error, { session }, stamps.owns),
    on: session.on,
    session,
  }
}
