import { ConfigurationError, type AuthClient, type AuthSnapshot, type JwtClaims, type Tokens } from 'axios-reauth'
import { computed, getCurrentScope, hasInjectionContext, inject, onScopeDispose, shallowRef, type ComputedRef } from 'vue'
import { authKey } from './plugin'

/** Each snapshot field as a read-only ref. */
export type AuthRefs<Claims extends JwtClaims = JwtClaims> = { readonly [Key in keyof AuthSnapshot<Claims>]: ComputedRef<AuthSnapshot<Claims>[Key]> }

/** What {@link useAuth} returns: read-only refs of the session plus actions. */
export interface UseAuthResult<Claims extends JwtClaims = JwtClaims> extends AuthRefs<Claims> {
  /** The whole snapshot, replaced (never mutated) on each change. */
  readonly snapshot: ComputedRef<AuthSnapshot<Claims>>
  /** Signs out locally (`client.clearTokens()`); held requests reject with `signed-out`. */
  readonly logout: () => void
  /** Refreshes now or joins the refresh in flight (`client.refresh()`). */
  readonly refresh: () => Promise<Tokens>
  /** The auth client, e.g. for `setTokens()` after a login. */
  readonly client: AuthClient<Claims>
}

/**
 * Reads the session of the app's {@link authPlugin} as refs that follow it. The subscription ends
 * with the calling component (or effect scope).
 *
 * `Claims` types `claims` as your issuer's (`useAuth<MyClaims>()`), as `createAuthClient<MyClaims>()`
 * does; the claims are decoded from the token, not checked.
 *
 * @returns `status`, `isRefreshing`, `isAuthenticated`, `claims`, `expiresAt`, `isExpiring` and
 * `lastDiagnosis` (filled with the plugin's `trackDiagnosis: true`) as read-only refs, the
 * `snapshot` ref, `logout`, `refresh` and `client`.
 * @throws ConfigurationError `invalid-option` outside `setup()` of an app using `authPlugin`.
 * @example
 * ```ts
 * const { status, claims, logout } = useAuth()
 * const name = computed(() => claims.value?.sub ?? 'guest')
 * ```
 */
export function useAuth<Claims extends JwtClaims = JwtClaims>(): UseAuthResult<Claims> {
  // Checked first because inject() only warns outside setup(); the scope is what ends the subscription.
  const injected = hasInjectionContext() && getCurrentScope() ? inject(authKey, null) : null
  if (!injected) {
    throw new ConfigurationError('invalid-option', 'useAuth() needs authPlugin installed on the app and must be called in setup(): app.use(authPlugin, auth).')
  }
  const { client, store } = injected
  const snapshot = shallowRef(store.getSnapshot())
  const unsubscribe = store.subscribe(() => {
    snapshot.value = store.getSnapshot()
  })
  // The session may have moved between the first read and subscribing.
  snapshot.value = store.getSnapshot()
  onScopeDispose(unsubscribe)
  const field = <Key extends keyof AuthSnapshot>(key: Key) => computed(() => snapshot.value[key])
  const result: UseAuthResult = {
    status: field('status'),
    isRefreshing: field('isRefreshing'),
    isAuthenticated: field('isAuthenticated'),
    claims: field('claims'),
    expiresAt: field('expiresAt'),
    isExpiring: field('isExpiring'),
    lastDiagnosis: field('lastDiagnosis'),
    snapshot: computed(() => snapshot.value),
    logout: () => client.clearTokens(),
    refresh: () => client.refresh(),
    client,
  }
  // The claims are the app's description of its tokens: nothing to check at runtime.
  return result as UseAuthResult<Claims>
}
