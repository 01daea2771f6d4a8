import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'
import type { Dpop } from 'axios-reauth/dpop'

/** The public client of these tests: DPoP-bound access tokens, PKCE, refresh tokens. */
export const CLIENT_ID = 'spa'
const REDIRECT_URI = 'https://app.example.test/callback'

/** A running oidc-provider with DPoP (nonces demanded), resource indicators (JWT access tokens) and rotating refresh tokens. */
export interface AuthorizationServer {
  readonly issuer: string
  readonly tokenUrl: string
  /** Signs a user in through the authorization-code flow and exchanges the code, with `proofs` for the token request. */
  signIn(proofs: Dpop): Promise<TokenSet>
  /** Grant errors the token endpoint answered, e.g. `invalid_grant` for a reused or foreign-key refresh token. */
  readonly grantErrors: string[]
  close(): Promise<void>
}

export interface TokenSet {
  access_token: string
  refresh_token: string
  token_type: string
  expires_in: number
}

/**
 * Starts oidc-provider on a random port of 127.0.0.1. Its interaction (login) signs `alice` in
 * at once, and every grant covers `openid offline_access` and the API's scope, so the flow needs
 * no page: the redirects are followed by hand, cookies kept.
 * @param resource - The API's identifier (its origin); access tokens are JWTs for it.
 */
export async function startAuthorizationServer(resource: string): Promise<AuthorizationServer> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const grantErrors: string[] = []
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        dpop_bound_access_tokens: true,
      },
    ],
    cookies: { keys: [randomBytes(16).toString('hex')] },
    scopes: ['openid', 'offline_access'],
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'api', accessTokenFormat: 'jwt', accessTokenTTL: 300 }),
      },
    },
    ttl: { AccessToken: 300, RefreshToken: 3600, IdToken: 300, Interaction: 600, Session: 3600, Grant: 3600 },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    findAccount: async (_ctx: unknown, accountId: string) => ({ accountId, claims: async () => ({ sub: accountId }) }),
    loadExistingGrant: async (ctx: { oidc: { provider: Provider; session: { accountId: string }; client: { clientId: string } } }) => {
      const grant = new ctx.oidc.provider.Grant({ accountId: ctx.oidc.session.accountId, clientId: ctx.oidc.client.clientId })
      grant.addOIDCScope('openid offline_access')
      grant.addResourceScope(resource, 'api')
      await grant.save()
      return grant
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
  })
  provider.on('grant.error', (_ctx, error) => grantErrors.push(String((error as { error?: string }).error)))
  const handle = provider.callback()
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      provider.interactionFinished(req, res, { login: { accountId: 'alice' } }, { mergeWithLastSubmission: false }).catch((error: unknown) => {
        res.statusCode = 500
        res.end(String(error))
      })
      return
    }
    handle(req, res)
  })

  const signIn = async (proofs: Dpop): Promise<TokenSet> => {
    const verifier = randomBytes(32).toString('base64url')
    const authorize = new URL(`${issuer}/auth`)
    authorize.search = new URLSearchParams({
      client_id: CLIENT_ID,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid offline_access api',
      resource,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      dpop_jkt: await proofs.thumbprint(),
    }).toString()
    const cookies = new Map<string, string>()
    let location = authorize.href
    // /auth → /interaction/:uid (signs in) → /auth/:uid → the redirect URI with the code.
    while (!location.startsWith(REDIRECT_URI)) {
      const response = await fetch(location, { redirect: 'manual', headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') } })
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';')
        const at = pair.indexOf('=')
        cookies.set(pair.slice(0, at), pair.slice(at + 1))
      }
      const next = response.headers.get('location')
      if (!next) throw new Error(`The authorization flow stopped at ${new URL(location).pathname} with ${response.status}: ${await response.text()}`)
      location = new URL(next, location).href
    }
    const code = new URL(location).searchParams.get('code')!
    const tokenUrl = `${issuer}/token`
    const response = await proofs.withProof('POST', tokenUrl, async (headers) =>
      fetch(tokenUrl, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, code_verifier: verifier }),
      }),
    )
    if (!response.ok) throw new Error(`The code exchange failed with ${response.status}: ${await response.text()}`)
    return (await response.json()) as TokenSet
  }

  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    signIn,
    grantErrors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
