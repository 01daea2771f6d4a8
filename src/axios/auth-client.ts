import { createSession, type Session, type SessionEvents, type SessionOptions, type SessionStatus, type Tokens } from '../core'
import { attachSession } from './attach'
import type { AllowedOrigin } from './origin-policy'

/** Options of {@link createAuthClient}. */
export interface AuthClientOptions extends SessionOptions {
  /**
   * Origins, besides each attached instance's `baseURL` origin and the page's own origin, that
   * may receive the access token. Exact origins (`'https://files.example.com'`) or RegExps
   * tested against the origin. A request to any other origin never carries the token, and its
   * 401 never triggers a refresh.
   * @default []
   */
  allowedOrigins?: readonly AllowedOrigin[]
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
  const session = createSession(options)
  const detachers = new WeakMap<object, () => void>()
  return {
    get status() {
      return session.status
    },
    attach(instance) {
      // An axios instance is a function object; anything else is refused by attachSession.
      const key = instance as object
      const existing = detachers.get(key)
      if (existing) return existing
      const detachInterceptors = attachSession(session, instance, options.allowedOrigins ?? [])
      const detach = () => {
        detachers.delete(key)
        detachInterceptors()
      }
      detachers.set(key, detach)
      return detach
    },
    getTokens: session.getTokens,
    setTokens: session.setTokens,
    clearTokens: session.clearTokens,
    refresh: session.refresh,
    on: session.on,
    session,
  }
}
