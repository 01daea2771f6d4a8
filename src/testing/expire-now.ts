import { ConfigurationError, type AuthClient, type JwtClaims } from 'axios-reauth'

/**
 * Makes the client's current access token expired as the client sees it, as if its time had
 * run out: the next request (or `getAccessToken()`) refreshes before it leaves, through the same
 * shared refresh a real expiry uses. The token strings stay the same; only the client's idea of
 * their expiry moves to the past, so it works for JWTs and opaque tokens alike, whatever clock
 * the client was given. Like `setTokens()`, it emits `tokens`.
 *
 * To test a 401 instead (a token the server refuses before the client expects it), make your
 * API handler refuse it: {@link FakeAuthServer.expireAccessTokens}.
 *
 * @param auth - The client under test.
 * @throws ConfigurationError `invalid-option` when the client holds no tokens (nobody signed in).
 * @throws ReauthError `disposed` when the client was disposed.
 * @example
 * ```ts
 * expireNow(auth)
 * await api.get('/me') // refreshes first, then sends the request with the new token
 * ```
 */
export function expireNow<Claims extends JwtClaims>(auth: Pick<AuthClient<Claims>, 'getTokens' | 'setTokens'>): void {
  const tokens = auth.getTokens()
  if (!tokens) {
    throw new ConfigurationError('invalid-option', 'expireNow() found no tokens to expire: nobody is signed in. Call auth.setTokens() (or sign in) first.')
  }
  // The epoch is in the past by every clock, the client's server clock included.
  auth.setTokens({ ...tokens, expiresAt: 0 })
}
