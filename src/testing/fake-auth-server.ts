import { ConfigurationError, redact, type JwtClaims, type RefreshContext, type RefreshResult } from 'axios-reauth'
import { FakeRefreshError, type FakeRefreshFailure } from './fake-refresh-error'
import { fakeToken } from './fake-token'

/** Options of {@link createFakeAuthServer}. */
export interface FakeAuthServerOptions {
  /** Lifetime of each access token it issues, in seconds. @default 3600 */
  expiresIn?: number
  /** Claims of every access token it issues (`sub`, roles…); `signIn(claims)` adds to them. @default {} */
  claims?: JwtClaims
  /** The server's clock in epoch milliseconds. @default () => Date.now(), looked up at each call, so fake timers apply */
  now?: () => number
}

/** Tokens as {@link FakeAuthServer.signIn} issues them: ready for `setTokens()` or the `tokens` option. */
export interface FakeTokens extends RefreshResult {
  refreshToken: string
}

/**
 * An in-memory token endpoint and token check, for an app's own tests: no network, no framework.
 * Your `refresh` option calls {@link FakeAuthServer.refresh}; your API mock (an msw handler, a
 * nock scope, an axios adapter) answers 401 unless {@link FakeAuthServer.isAuthorized} says yes.
 */
export interface FakeAuthServer {
  /** Starts a session, as a login would: a fresh access token and refresh token. */
  signIn(claims?: JwtClaims): FakeTokens
  /**
   * A `refresh` function for `createAuthClient`: rotates the tokens (the refresh token it was
   * given is spent), or throws a {@link FakeRefreshError} when told to fail, when the session was
   * revoked, or for a refresh token it did not issue or already rotated (400, fatal).
   */
  refresh(context: RefreshContext): Promise<FakeTokens>
  /** Whether an `Authorization` header value (or a bare token) carries a live access token. */
  isAuthorized(authorization: string | null | undefined): boolean
  /** Refuses every access token issued so far, as when they expire at the server: the next request gets a 401 and the client refreshes. */
  expireAccessTokens(): void
  /** Makes the next `times` refreshes fail: `transient` (503, the session stays) or `fatal` (400, the session ends). @default times 1 */
  failNextRefresh(kind: FakeRefreshFailure, times?: number): void
  /** Revokes the session: every token is refused, and the next refresh fails fatally. */
  revoke(): void
  /** How many times `refresh` was called, failures included. */
  readonly refreshCalls: number
}

/**
 * Creates a {@link FakeAuthServer}. Each call is a server of its own, with its own tokens and
 * counters: make one per test.
 *
 * @param options - `expiresIn`, `claims`, and `now` for fake timers.
 * @returns The server.
 * @throws ConfigurationError `invalid-option` when `expiresIn` is not a positive number or `now` is not a function.
 * @example
 * ```ts
 * const authServer = createFakeAuthServer({ expiresIn: 60, claims: { sub: 'ada' } })
 * const auth = createAuthClient({ refresh: authServer.refresh, tokens: authServer.signIn() })
 * authServer.failNextRefresh('fatal') // the next refresh ends the session: LoginRequiredError
 * ```
 */
export function createFakeAuthServer(options: FakeAuthServerOptions = {}): FakeAuthServer {
  // Date.now is looked up at each call: fake timers installed after this call still apply.
  const { expiresIn = 3600, claims = {}, now = () => Date.now() } = options
  if (typeof expiresIn !== 'number' || !(expiresIn > 0) || !Number.isFinite(expiresIn)) {
    throw new ConfigurationError('invalid-option', `createFakeAuthServer() was given expiresIn ${String(expiresIn)}: pass a lifetime in seconds greater than 0. For a token that is already expired, use fakeToken({ expiresIn: -1 }) or expireNow(auth).`)
  }
  if (typeof now !== 'function') {
    throw new ConfigurationError('invalid-option', `createFakeAuthServer() was given now of type ${typeof now}: pass a function returning epoch milliseconds, such as () => Date.now().`)
  }
  /** Live access tokens and when each expires (epoch ms). */
  const accessTokens = new Map<string, number>()
  let refreshToken: string | undefined
  let sessionClaims: JwtClaims = claims
  let issued = 0
  let refreshCalls = 0
  const failures: FakeRefreshFailure[] = []

  const issue = (): FakeTokens => {
    issued += 1
    const issuedAt = now()
    const accessToken = fakeToken({ expiresIn, now: issuedAt, claims: { ...sessionClaims, jti: `fake-${issued}` } })
    accessTokens.set(accessToken, issuedAt + expiresIn * 1000)
    refreshToken = `fake-refresh-token-${issued}`
    return { accessToken, refreshToken, expiresIn }
  }

  return {
    signIn(extra = {}) {
      sessionClaims = { ...claims, ...extra }
      return issue()
    },
    async refresh({ refreshToken: presented }) {
      refreshCalls += 1
      const failure = failures.shift()
      if (failure) throw new FakeRefreshError(failure, `failNextRefresh('${failure}') asked for this failure. Nothing to fix: it is the test's own`)
      if (refreshToken === undefined || presented !== refreshToken) {
        throw new FakeRefreshError('fatal', `invalid_grant: refresh token ${redact(presented)} is not the current one (revoked, already rotated, or never issued). Start a session with signIn(), and hand refresh() the refresh token it last issued`)
      }
      return issue()
    },
    isAuthorized(authorization) {
      if (!authorization) return false
      const token = authorization.replace(/^Bearer\s+/i, '')
      const expiresAt = accessTokens.get(token)
      return expiresAt !== undefined && expiresAt > now()
    },
    expireAccessTokens() {
      accessTokens.clear()
    },
    failNextRefresh(kind, times = 1) {
      if (kind !== 'fatal' && kind !== 'transient') {
        throw new ConfigurationError('invalid-option', `failNextRefresh() was given ${String(kind)}: pass 'transient' (503, the session stays) or 'fatal' (400, the session ends).`)
      }
      for (let i = 0; i < times; i += 1) failures.push(kind)
    },
    revoke() {
      accessTokens.clear()
      refreshToken = undefined
    },
    get refreshCalls() {
      return refreshCalls
    },
  }
}
