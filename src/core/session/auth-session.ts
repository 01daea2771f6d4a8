import type { RefreshSchedule } from '../refresh/scheduler'
import type { CrossTab } from '../tabs/cross-tab'
import type { JwtClaims } from '../tokens/jwt'
import type { RefreshResult, SessionEvents, SessionStatus, Tokens } from '../types'
import { createAccessTokenGetter, type AccessTokenOptions } from './access-token'
import { openSession } from './open-session'
import { resolveClientOptions } from './options'
import type { Session, SessionOptions } from './types'

/**
 * Options of a client's session, whatever HTTP glue sends its requests: those of
 * `createSession()` beside the tab coordinator (which the client opens itself), and these.
 */
export interface AuthSessionOptions extends Omit<SessionOptions, 'tabs' | 'tabLockName' | 'askTimeoutMs'> {
  /**
   * Refresh on a timer ahead of expiry (for `createAuthClient()`, while an instance is attached),
   * and re-check when the tab becomes visible, gets focus or comes back online: pass
   * `scheduledRefresh()`. Without it, a refresh ahead of expiry still happens when a request is
   * about to leave with an expiring token.
   * @default none
   * @example
   * ```ts
   * import { createAuthClient, scheduledRefresh } from 'axios-reauth'
   *
   * createAuthClient({ refresh, scheduleRefresh: scheduledRefresh() })
   * ```
   */
  scheduleRefresh?: RefreshSchedule | false
  /**
   * Coordinate the tabs of this origin: one refresh at a time under a Web Lock (re-reading the
   * shared tokens first), tokens and sign-out broadcast to every tab, and with memory storage a
   * new tab asks the others for the tokens. Pass `crossTab({ name })`; `webStorage(localStorage)`
   * carries the coordination already, so tabs that share it coordinate by default (`true` says so
   * explicitly, `false` turns it off).
   *
   * Tabs share a session only when it has a name: the `webStorage` key, or `crossTab({ name })`.
   * Memory storage has no key, so `crossTab()` without a name warns and stays a single tab. Two
   * clients of one page with the same name share one session, which is almost always a mistake:
   * a warning names the fix.
   *
   * Only ever in a page (a document in a window): in Node, Deno, Bun, SSR and workers every
   * client is a single tab, even where Web Locks and BroadcastChannel exist. A browser without
   * BroadcastChannel coordinates over `storage` events only for tokens already in localStorage.
   * @default the storage's coordination when it is shared by tabs (localStorage), none otherwise
   * @example
   * ```ts
   * import { createAuthClient, crossTab } from 'axios-reauth'
   *
   * createAuthClient({ refresh, crossTab: crossTab({ name: 'my-app' }) }) // memory storage, shared by the tabs
   * ```
   */
  crossTab?: boolean | CrossTab
}

/**
 * A client without HTTP glue: the session of `createAuthClient()` (one refresh, held requests,
 * cross-tab), for `createAuthFetch()` in apps that have no axios. Its members mean what the
 * `AuthClient` members of the same names mean.
 */
export interface AuthSession<Claims extends JwtClaims = JwtClaims> {
  /** `'restoring' | 'authenticated' | 'refreshing' | 'unauthenticated'`. */
  readonly status: SessionStatus
  /** The current tokens (a copy), or `undefined`. */
  getTokens(): Tokens | undefined
  /** Replaces the tokens, e.g. after a login; `expiresIn` (seconds) becomes `expiresAt` now. */
  setTokens(tokens: RefreshResult): void
  /** Signs out locally: forgets the tokens; waiting requests reject with `LoginRequiredError` (`signed-out`). */
  clearTokens(): void
  /** Refreshes now, or joins the refresh in flight. */
  refresh(): Promise<Tokens>
  /** An access token valid for at least `minValidity` seconds, refreshed through the same single flight when needed. */
  getAccessToken(options?: AccessTokenOptions): Promise<string>
  /** Subscribes to a session event; returns the unsubscribe function. */
  on<Name extends keyof SessionEvents>(name: Name, listener: (payload: SessionEvents[Name]) => void): () => void
  /** The framework-free session underneath, for adapters. */
  readonly session: Session<Claims>
  /** Releases the session: timer stopped, tab channel closed, waiting requests rejected with `disposed`. Not a sign-out. */
  dispose(): void
}

/**
 * Creates a client's session without any HTTP glue, checked as `createAuthClient()` checks its
 * options (the axios-only ones, such as `shouldRefresh` or `debug`, do nothing here). With
 * `scheduleRefresh`, the timer runs from now until `dispose()`.
 * @param options - `refresh` is required; everything else has a default.
 * @returns The session client, for `createAuthFetch(auth)`.
 * @throws ConfigurationError `invalid-option` for missing options, a missing `refresh`, or an option of the wrong type or range.
 * @example
 * ```ts
 * const auth = createAuthSession({
 *   refresh: async ({ refreshToken, signal }) => {
 *     const response = await fetch('/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken }), signal })
 *     const data = await response.json()
 *     return { accessToken: data.access_token, refreshToken: data.refresh_token, expiresIn: data.expires_in }
 *   },
 * })
 * ```
 */
export function createAuthSession<Claims extends JwtClaims = JwtClaims>(options: AuthSessionOptions): AuthSession<Claims> {
  const resolved = resolveClientOptions(options, 'createAuthSession()')
  const { session, tabs } = openSession(resolved)
  const scheduler = resolved.scheduleRefresh?.(session)
  scheduler?.start()
  let isDisposed = false
  return {
    get status() {
      return session.status
    },
    getTokens: session.getTokens,
    setTokens: session.setTokens,
    clearTokens: session.clearTokens,
    refresh: session.refresh,
    getAccessToken: createAccessTokenGetter(session),
    on: session.on,
    // The claims are decoded, not checked: Claims is the app's description of its issuer's tokens.
    session: session as Session as Session<Claims>,
    dispose() {
      if (isDisposed) return
      isDisposed = true
      scheduler?.stop()
      session.dispose()
      tabs?.close()
    },
  }
}

