import axios, { type AxiosError } from 'axios'
import { IDBFactory } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createAuthClient, LoginRequiredError, type Logger } from 'axios-reauth'
import { diagnose } from 'axios-reauth/diagnose'
import { dpop, type Dpop } from 'axios-reauth/dpop'
import { createDeferred, type Deferred } from '../../src/core/support/deferred'
import { CLIENT_ID, startAuthorizationServer, type AuthorizationServer, type TokenSet } from './authorization-server'
import { startResourceServer, type ResourceServer } from './resource-server'

let op: AuthorizationServer
let rs: ResourceServer

beforeAll(async () => {
  rs = await startResourceServer(() => op.issuer)
  op = await startAuthorizationServer(rs.url)
}, 30_000)

afterAll(async () => {
  await rs?.close()
  await op?.close()
})

/** The app of these tests: one client, DPoP with its own key, refresh through oidc-provider's token endpoint. */
function createApp(options: { proofs?: Dpop; tokens?: TokenSet; logger?: Logger } = {}) {
  const proofs = options.proofs ?? dpop({ indexedDB: new IDBFactory() })
  // Set to hold the token request until a test releases it.
  let gate: Deferred<void> | undefined
  const refreshTokens: Array<string | undefined> = []
  const refresh = vi.fn(async ({ refreshToken, signal }: { refreshToken: string | undefined; signal: AbortSignal }) => {
    await gate?.promise
    refreshTokens.push(refreshToken)
    return proofs.withProof('POST', op.tokenUrl, async (headers) => {
      const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken!, client_id: CLIENT_ID })
      const { data } = await axios.post<TokenSet>(op.tokenUrl, body, { headers, signal })
      return { accessToken: data.access_token, refreshToken: data.refresh_token, expiresIn: data.expires_in }
    })
  })
  const auth = createAuthClient({ refresh, dpop: proofs, ...(options.logger ? { logger: options.logger, debug: true, diagnose } : {}) })
  const api = axios.create({ baseURL: rs.url })
  auth.attach(api)
  const signIn = (tokens: TokenSet) => auth.setTokens({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresIn: tokens.expires_in })
  if (options.tokens) signIn(options.tokens)
  return {
    auth,
    api,
    proofs,
    refresh,
    refreshTokens,
    signIn,
    holdRefresh: () => (gate = createDeferred<void>()),
  }
}

/** What the resource server saw since `from`. */
const judgedSince = (from: number) => rs.judged.slice(from)

async function signedIn(options: Parameters<typeof createApp>[0] = {}) {
  const app = createApp(options)
  const tokens = await op.signIn(app.proofs)
  app.signIn(tokens)
  return { ...app, tokens }
}

describe('DPoP against oidc-provider and a resource server that checks every proof', () => {
  it('signs in with DPoP-bound tokens: the access token names the key', async () => {
    const from = op.grantErrors.length
    const { tokens, proofs } = await signedIn()
    expect(tokens.token_type).toBe('DPoP')
    // The code exchange went twice: without a nonce, refused, then with the one it was given.
    expect(op.grantErrors.slice(from)).toEqual(['use_dpop_nonce'])
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()) as { cnf: { jkt: string } }
    expect(claims.cnf.jkt).toBe(await proofs.thumbprint())
  })

  it('sends each request with a proof the server verifies, answering its nonce challenge once', async () => {
    const { api, tokens, refresh } = await signedIn()
    const from = rs.judged.length
    rs.rotateNonce()
    expect((await api.get('/me?fields=all')).data).toEqual({ path: '/me?fields=all' })
    await api.post('/orders', { item: 7 })
    await api.delete('/orders/7')
    const judged = judgedSince(from)
    expect(judged.map((entry) => entry.verdict)).toEqual(['stale nonce', 'ok', 'ok', 'ok'])
    expect(judged.every((entry) => entry.token === tokens.access_token)).toBe(true)
    expect(new Set(judged.map((entry) => entry.jti)).size).toBe(4)
    expect(refresh).not.toHaveBeenCalled()
  })

  it('retries a request once when the server moves to a new nonce', async () => {
    const { api } = await signedIn()
    await api.get('/warm-up')
    rs.rotateNonce()
    const from = rs.judged.length
    await api.get('/after-rotation')
    expect(judgedSince(from).map((entry) => entry.verdict)).toEqual(['stale nonce', 'ok'])
  })

  it('refreshes once with its own proof when the token expires; held requests and replays each carry a fresh proof', async () => {
    const { api, auth, tokens, proofs, refresh, refreshTokens, holdRefresh } = await signedIn()
    await api.get('/warm-up')
    rs.expire(tokens.access_token)
    const gate = holdRefresh()
    const from = rs.judged.length
    const failing = [api.get('/a'), api.get('/b'), api.get('/c')]
    await vi.waitFor(() => expect(auth.status).toBe('refreshing'))
    await vi.waitFor(() => expect(judgedSince(from)).toHaveLength(3))
    // Issued while the refresh runs: held, sent once with the new token.
    const held = [api.get('/held-1'), api.post('/held-2', { a: 1 })]
    gate.resolve()
    const answers = await Promise.all([...failing, ...held])
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200])
    expect(refresh).toHaveBeenCalledTimes(1)
    const fresh = auth.getTokens()!
    expect(fresh.accessToken).not.toBe(tokens.access_token)
    // Rotated: the old refresh token is spent.
    expect(refreshTokens).toEqual([tokens.refresh_token])
    expect(fresh.refreshToken).not.toBe(tokens.refresh_token)
    const judged = judgedSince(from)
    expect(judged.filter((entry) => entry.verdict === 'token expired')).toHaveLength(3)
    const accepted = judged.filter((entry) => entry.verdict === 'ok')
    expect(accepted.map((entry) => entry.path).sort()).toEqual(['/a', '/b', '/c', '/held-1', '/held-2'])
    expect(accepted.every((entry) => entry.token === fresh.accessToken)).toBe(true)
    expect(new Set(judged.map((entry) => entry.jti)).size).toBe(judged.length)
    // Rotated for real: the authorization server refuses the spent refresh token.
    const reuse = await proofs.withProof('POST', op.tokenUrl, (headers) =>
      fetch(op.tokenUrl, { method: 'POST', headers, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: CLIENT_ID }) }),
    )
    expect(reuse.status).toBe(400)
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' })
  })

  it('refuses a proof made with another key: tokens taken to another client are of no use, and the session ends', async () => {
    const { tokens } = await signedIn()
    const thief = createApp({ tokens })
    const from = rs.judged.length
    const error = await thief.api.get('/me').catch((failure: unknown) => failure)
    expect(error).toBeInstanceOf(LoginRequiredError)
    expect(error).toMatchObject({ reason: 'refresh-rejected' })
    expect(judgedSince(from).map((entry) => entry.verdict)).toContain('token bound to another key')
    expect(thief.refresh).toHaveBeenCalledTimes(1)
    expect(op.grantErrors).toContain('invalid_grant')
  })

  it('keeps the key across a reload: a second client on the same IndexedDB signs for the same tokens', async () => {
    const indexedDB = new IDBFactory()
    const { tokens } = await signedIn({ proofs: dpop({ name: 'app', indexedDB }) })
    const reloaded = createApp({ proofs: dpop({ name: 'app', indexedDB }), tokens })
    const from = rs.judged.length
    await expect(reloaded.api.get('/me')).resolves.toMatchObject({ status: 200 })
    expect(judgedSince(from).at(-1)).toMatchObject({ verdict: 'ok', token: tokens.access_token })
  })

  it('writes no token and no proof to the logs, the diagnoses or the errors', async () => {
    const lines: string[] = []
    const logger = { debug: (...args: unknown[]) => lines.push(args.map(String).join(' ')), warn: (...args: unknown[]) => lines.push(args.map(String).join(' ')) }
    const { api, auth, tokens } = await signedIn({ logger })
    const proofs: string[] = []
    api.interceptors.response.use((response) => (proofs.push(String(response.config.headers.DPoP ?? '')), response))
    auth.on('diagnosis', (diagnosis) => lines.push(JSON.stringify(diagnosis)))
    await api.get('/warm-up')
    rs.expire(tokens.access_token)
    await api.get('/after-expiry')
    rs.expire(auth.getTokens()!.accessToken)
    const error = (await api.get('/once', { replay: false }).catch((failure: unknown) => failure)) as Error & { cause: AxiosError }
    expect(error).toMatchObject({ code: 'replay-skipped' })
    lines.push(String(error))
    // What axios itself serializes shows the headers it sent (the token, as with Bearer), but no proof.
    expect(error.cause.config?.headers.DPoP).toBeUndefined()
    expect(lines.some((line) => line.includes('401'))).toBe(true)
    const secrets = [tokens.access_token, tokens.refresh_token, auth.getTokens()!.accessToken, auth.getTokens()!.refreshToken!]
    for (const line of lines) for (const secret of secrets) expect(line).not.toContain(secret.slice(0, -4))
    expect(lines.join('\n')).not.toMatch(/eyJ[\w-]+\.eyJ/)
    // The proof is gone from the config once the request settled.
    expect(proofs.every((proof) => proof === '')).toBe(true)
  })
})
