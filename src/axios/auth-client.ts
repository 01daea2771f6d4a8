import { type Diagnosis, type JwtClaims, type RefreshResult, type Session, type SessionEvents, type SessionStatus, type Tokens } from '../core'
import type { AuthSessionOptions } from '../core/session/auth-session'
import { ConfigurationError, disposedError } from '../core/errors'
import { resolveClientOptions } from '../core/session/options'
import { openSession } from '../core/session/open-session'
import { createReplayLimit } from '../core/internal'
import { attachSession } from './attach'
import { authHeader } from './auth-header'
import { createAccessTokenGetter, type AccessTokenOptions } from './access-token'
import { createRequestStamps } from './request-stamp'
import type { GlueOptions } from './glue-options'

/**
 * Options of {@link createAuthClient}. Each is checked when the client is created: a value of the
 * wrong type or range throws a `ConfigurationError` naming the fix, and a key that is no option
 * gets one warning through `logger`. (The session's `tabs`, `tabLockName` and `askTimeoutMs` are
 * not options here: the client opens the tab coordinator itself, and `crossTab({ name, askTimeoutMs })`
 * carries the name and `askTimeoutMs`.)
 */
export interface AuthClientOptions extends AuthSessionOptions, GlueOptions {
  /** Log a diagnosis of every 401 (tokens redacted) to `logger`, or to `console`. @default false */
  debug?: boolean
}

/**
 * A client: one session, attachable to any number of axios instances. `Claims` types
 * `session.claims` (see {@link createAuthClient}).
 */
export interface AuthClient<Claims extends JwtClaims = JwtClaims> {
  /** `'restoring' | 'authenticated' | 'refreshing' | 'reauthenticating' | 'unauthenticated'`, derived from the session. */
  readonly status: SessionStatus
  /**
   * Installs the interceptors on an axios instance (attaching twice is a no-op).
   * @returns A function that removes them.
   * @throws ConfigurationError `invalid-option` when `instance` is not an axios instance.
   * @throws ReauthError `disposed` after {@link AuthClient.dispose}.
   */
  attach(instance: unknown): () => void
  /** The current tokens (a copy), or `undefined`. */
  getTokens(): Tokens | undefined
  /**
   * Replaces the tokens, e.g. after a login; requests waiting for a refresh go with these.
   * Accepts what a token endpoint answers: `expiresIn` (seconds) becomes `expiresAt` now.
   * @example
   * ```ts
   * auth.setTokens({ accessToken: data.access_token, refreshToken: data.refresh_token, expiresIn: data.expires_in })
   * ```
   * @throws ConfigurationError `invalid-option` for a missing or non-string token.
   * @throws ReauthError `disposed` after {@link AuthClient.dispose}.
   */
  setTokens(tokens: RefreshResult): void
  /** Signs out locally: forgets the tokens; waiting requests reject with `LoginRequiredError` (`signed-out`). */
  clearTokens(): void
  /** Refreshes now, or joins the refresh in flight. Rejects with the typed failure (`disposed` after `dispose()`). */
  refresh(): Promise<Tokens>
  /**
   * An access token valid for at least `minValidity` seconds (server time), for code that is not
   * axios: a WebSocket or SSE handshake, an `<img>` URL, a worker. Waits while tokens are being
   * restored, joins the refresh in flight, and refreshes (the same single flight as requests)
   * when the token expires sooner. A token of unknown expiry (opaque, no `expiresIn`) counts as
   * valid. A fresh token that lives less than `minValidity` is returned as it is.
   * @param options - `minValidity` in seconds. @default the client's `leewaySeconds`
   * @returns The access token.
   * @throws LoginRequiredError `login-required` when nobody is signed in or the session ended.
   * @throws RefreshFailedError `refresh-failed` when the refresh failed transiently.
   * @throws ConfigurationError `invalid-option` for a `minValidity` that is not a finite number, 0 or more.
   * @throws ReauthError `disposed` after {@link AuthClient.dispose}.
   * @example
   * ```ts
   * const token = await auth.getAccessToken({ minValidity: 60 })
   * const socket = new WebSocket(`wss://api.example.com/live?access_token=${encodeURIComponent(token)}`)
   * ```
   */
  getAccessToken(options?: AccessTokenOptions): Promise<string>
  /**
   * Explains why a request got 401, with this client's server time, leeway and header.
   * @throws ConfigurationError `invalid-option` when the client was created without the
   *   `diagnose` option (`import { diagnose } from 'axios-reauth/diagnose'`).
   */
  diagnose(error: unknown): Diagnosis
  /** Subscribes to a session event; returns the unsubscribe function. */
  on<Name extends keyof SessionEvents>(name: Name, listener: (payload: SessionEvents[Name]) => void): () => void
  /** The framework-free session underneath, for adapters. */
  readonly session: Session<Claims>
  /**
   * Releases the client: detaches every attached instance, stops the refresh timer and its
   * wake-up listeners, closes the tab channel, and rejects every held request and the refresh in
   * flight with a `ReauthError` coded `disposed`. Afterwards `attach()` and `setTokens()` throw
   * that error, `refresh()` rejects with it, `clearTokens()` and `dispose()` do nothing;
   * `status`, `getTokens()` and `on()` still answer. Stored tokens are left as they are: this is
   * not a sign-out. Call it when a client is replaced (hot reload, tests, a per-request client
   * on a server); a client without cross-tab is garbage-collected once dropped anyway.
   * @example
   * ```ts
   * const auth = createAuthClient({ refresh })
   * const detach = auth.attach(api)
   * // later, when this client is replaced:
   * auth.dispose()
   * ```
   */
  dispose(): void
}

/**
 * Creates an auth client. Each client owns its own session: two clients never share tokens,
 * which is what server-side rendering needs (one client per user request).
 *
 * `Claims` types `auth.session.claims` (and the adapters' `claims`) as your issuer's claims:
 * `createAuthClient<MyClaims>(…)`, where `MyClaims` is a type alias or an interface that extends
 * `JwtClaims`. The claims are decoded from the token, never verified nor checked at runtime.
 *
 * @param options - `refresh` is required; everything else has a default.
 * @returns The client; call `attach(api)` on each axios instance that should use it.
 * @throws ConfigurationError `invalid-option` when `options` or `refresh` is missing, an option has the
 *   wrong type or range (e.g. `refreshTimeoutMs: Infinity`, `allowedOrigins: 'https://…'`), or the
 *   initial tokens are malformed; the message names the fix.
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
export function createAuthClient<Claims extends JwtClaims = JwtClaims>(options: AuthClientOptions): AuthClient<Claims> {
  const resolved = resolveClientOptions(options)
  const { session, tabs } = openSession(resolved)
  // The glue logs nothing but diagnoses: its logger is the one `debug: true` turns on.
  const glue: GlueOptions = { ...resolved, logger: resolved.diagnosisLogger }
  const scheduler = resolved.scheduleRefresh?.(session)
  // This client's own marks on the requests it handles, under a key no other client uses.
  const stamps = createRequestStamps()
  // One cap for all of this client's instances: they share the session, and often the API.
  const replayLimit = createReplayLimit(resolved.replayConcurrency, resolved.logger)
  const detachers = new WeakMap<object, () => void>()
  // For dispose(): weakly, so that an instance dropped without detach() can still be collected.
  const attached = new Set<WeakRef<object>>()
  let isDisposed = false
  // Where and how every attached instance writes the token, and what a diagnosis reads it from.
  const header = authHeader(resolved)
  const diagnosisContext = { session, header, isStamped: stamps.owns }
  return {
    get status() {
      return session.status
    },
    attach(instance) {
      if (isDisposed) throw disposedError('attach() installed nothing')
      // An axios instance is a function object; anything else is refused by attachSession.
      const key = instance as object
      const existing = detachers.get(key)
      if (existing) return existing
      const detachInterceptors = attachSession(session, instance, glue, stamps, header, replayLimit)
      for (const ref of attached) if (!ref.deref()) attached.delete(ref)
      const ref = new WeakRef(key)
      attached.add(ref)
      if (attached.size === 1) scheduler?.start()
      const detach = () => {
        if (detachers.get(key) !== detach) return
        detachers.delete(key)
        attached.delete(ref)
        detachInterceptors()
        if (attached.size === 0) scheduler?.stop()
      }
      detachers.set(key, detach)
      return detach
    },
    dispose() {
      if (isDisposed) return
      isDisposed = true
      for (const ref of [...attached]) {
        const instance = ref.deref()
        if (instance) detachers.get(instance)?.()
      }
      scheduler?.stop()
      session.dispose()
      tabs?.close()
    },
    getTokens: session.getTokens,
    setTokens: session.setTokens,
    clearTokens: session.clearTokens,
    refresh: session.refresh,
    getAccessToken: createAccessTokenGetter(session),
    diagnose(error) {
      if (!resolved.diagnose) {
        throw new ConfigurationError('invalid-option', "auth.diagnose() needs the diagnose option: import { diagnose } from 'axios-reauth/diagnose' and pass createAuthClient({ refresh, diagnose }).")
      }
      return resolved.diagnose(error, diagnosisContext)
    },
    on: session.on,
    // The claims are decoded, not checked: Claims is the app's description of its issuer's tokens.
    session: session as Session as Session<Claims>,
  }
}
