import type { AuthClient, AuthSnapshot, JwtClaims, Tokens } from 'axios-reauth'
import { useMemo, useSyncExternalStore } from 'react'
import { useAuthContext } from './auth-provider'

/** What {@link useAuth} returns: the session snapshot plus actions. */
export interface UseAuthResult<Claims extends JwtClaims = JwtClaims> extends AuthSnapshot<Claims> {
  /** Signs out locally (`client.clearTokens()`); held requests reject with `signed-out`. */
  readonly logout: () => void
  /** Refreshes now or joins the refresh in flight (`client.refresh()`). */
  readonly refresh: () => Promise<Tokens>
  /** The auth client, e.g. for `setTokens()` after a login. */
  readonly client: AuthClient<Claims>
}

/**
 * Reads the session of the nearest {@link AuthProvider} and re-renders when it changes. Server
 * rendering uses a snapshot computed once, without timers or `window`.
 *
 * `Claims` types `claims` as your issuer's (`useAuth<MyClaims>()`), as `createAuthClient<MyClaims>()`
 * does; the claims are decoded from the token, not checked.
 *
 * @returns The snapshot, `logout`, `refresh` and `client`; `logout` and `refresh` keep their identity.
 * @throws ConfigurationError `invalid-option` outside an `<AuthProvider>`.
 * @example
 * ```tsx
 * function Header() {
 *   const { status, claims, logout } = useAuth()
 *   if (status === 'unauthenticated') return <a href="/login">Sign in</a>
 *   return <button onClick={logout}>Sign out {claims?.sub}</button>
 * }
 * ```
 */
export function useAuth<Claims extends JwtClaims = JwtClaims>(): UseAuthResult<Claims> {
  const context = useAuthContext('useAuth()')
  const { store } = context
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getServerSnapshot)
  return useMemo(
    // The claims are the app's description of its tokens: nothing to check at runtime.
    () => ({ ...snapshot, logout: context.logout, refresh: context.refresh, client: context.client }) as UseAuthResult as UseAuthResult<Claims>,
    [snapshot, context],
  )
}
