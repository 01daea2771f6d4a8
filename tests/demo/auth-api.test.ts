import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startAuthApi } from '../../demo/server/auth-api.mjs'
import type { AuthApi, AuthApiOptions, AuthApiStatsJson, AuthApiTokenResponse } from '../../demo/server/auth-api.mjs'

const servers: AuthApi[] = []
const tempDirs: string[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A server whose clock only moves when the test says so. */
async function start(options: AuthApiOptions = {}) {
  const clock = { ms: Date.UTC(2030, 0, 1) }
  const api = await startAuthApi({ now: () => clock.ms, ...options })
  servers.push(api)
  return { api, clock }
}

function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
}

async function login(api: AuthApi): Promise<AuthApiTokenResponse> {
  const response = await postJson(`${api.url}/auth/login`, { username: 'ada', password: 'secret' })
  expect(response.status).toBe(200)
  return (await response.json()) as AuthApiTokenResponse
}

async function refresh(api: AuthApi, refreshToken: string) {
  return postJson(`${api.url}/auth/refresh`, { refreshToken })
}

function getItem(api: AuthApi, accessToken: string, id = '42', headers: Record<string, string> = {}) {
  return fetch(`${api.url}/api/items/${id}`, { headers: { authorization: `Bearer ${accessToken}`, ...headers } })
}

function decodeJwtPart(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
}

describe('auth API: tokens', () => {
  it('logs in and serves an item to the issued access token', async () => {
    const { api, clock } = await start()
    const tokens = await login(api)
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 5 })

    const response = await getItem(api, tokens.access_token)

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ id: '42', at: clock.ms })
    expect(api.stats).toMatchObject({ logins: 1, apiRequests: 1, apiSuccesses: 1, api401: 0 })
  })

  it('issues HS256 JWTs carrying sub, iat, exp, jti and scope', async () => {
    const { api, clock } = await start({ accessTtlSeconds: 30 })
    const [header, payload, signature] = (await login(api)).access_token.split('.')

    expect(decodeJwtPart(header)).toEqual({ alg: 'HS256', typ: 'JWT' })
    const iat = Math.floor(clock.ms / 1000)
    expect(decodeJwtPart(payload)).toEqual({ sub: 'ada', iat, exp: iat + 30, jti: expect.any(String), scope: 'items:read' })
    expect(signature).toMatch(/^[\w-]{43}$/)
  })

  it('rejects a login without a password', async () => {
    const { api } = await start()

    const response = await postJson(`${api.url}/auth/login`, { username: 'ada', password: '' })

    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: 'invalid_request' })
  })

  it('answers a missing Authorization header with a bare Bearer challenge', async () => {
    const { api } = await start()

    const response = await fetch(`${api.url}/api/items/1`)

    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="demo"')
  })

  it('answers an expired access token with 401 and the invalid_token challenge', async () => {
    const { api, clock } = await start({ accessTtlSeconds: 5 })
    const { access_token } = await login(api)
    clock.ms += 5_000

    const response = await getItem(api, access_token)

    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="demo", error="invalid_token", error_description="The access token expired"',
    )
    expect(api.stats.api401).toBe(1)
  })

  it('treats every token issued before expireAccessTokens() as expired', async () => {
    const { api } = await start({ accessTtlSeconds: 3600 })
    const { access_token } = await login(api)

    api.control.expireAccessTokens()

    const response = await getItem(api, access_token)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })

  it('expires tokens by moving its clock past their exp, which its Date header then tells', async () => {
    const { api, clock } = await start({ accessTtlSeconds: 20 })
    const { access_token } = await login(api)
    const exp = Number(decodeJwtPart(access_token.split('.')[1]).exp)

    api.control.expireAccessTokens()

    const response = await getItem(api, access_token)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toContain('error_description="The access token expired"')
    expect(Date.parse(response.headers.get('date') ?? '')).toBe(exp * 1000 + 2000)
    expect(clock.ms).toBe(Date.UTC(2030, 0, 1))
  })

  it('issues tokens after expireAccessTokens() that live their full lifetime on the moved clock', async () => {
    const { api } = await start({ accessTtlSeconds: 20 })
    await login(api)
    api.control.expireAccessTokens()
    const { access_token } = await login(api)
    const claims = decodeJwtPart(access_token.split('.')[1])
    const response = await getItem(api, access_token)

    expect(response.status).toBe(200)
    expect(Number(claims.exp) - Number(claims.iat)).toBe(20)
    expect(Number(claims.iat) * 1000).toBe(Date.parse(response.headers.get('date') ?? ''))
  })

  it('rejects a token signed by another server instance', async () => {
    const { api: issuer } = await start()
    const { api: other } = await start()
    const { access_token } = await login(issuer)

    const response = await getItem(other, access_token)

    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toContain('signature is invalid')
  })
})

describe('auth API: refresh rotation', () => {
  it('rotates the refresh token and issues a working access token', async () => {
    const { api, clock } = await start()
    const first = await login(api)
    clock.ms += 10_000

    const response = await refresh(api, first.refresh_token)

    expect(response.status).toBe(200)
    const second = (await response.json()) as AuthApiTokenResponse
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect((await getItem(api, second.access_token)).status).toBe(200)
    expect(api.stats).toMatchObject({ refreshCalls: 1, refreshSuccesses: 1 })
  })

  it('accepts the OAuth spelling refresh_token in the body', async () => {
    const { api } = await start()
    const { refresh_token } = await login(api)

    const response = await postJson(`${api.url}/auth/refresh`, { refresh_token })

    expect(response.status).toBe(200)
  })

  it('answers a spent refresh token with invalid_grant and revokes its whole family', async () => {
    const { api } = await start()
    const first = await login(api)
    const second = (await (await refresh(api, first.refresh_token)).json()) as AuthApiTokenResponse

    const reuse = await refresh(api, first.refresh_token)

    expect(reuse.status).toBe(400)
    expect(await reuse.json()).toEqual({ error: 'invalid_grant' })
    expect(api.stats.spentRefreshPresented).toBe(1)
    expect((await refresh(api, second.refresh_token)).status).toBe(400)
    const revokedCall = await getItem(api, second.access_token)
    expect(revokedCall.status).toBe(401)
    expect(revokedCall.headers.get('www-authenticate')).toContain('was revoked')
    expect(api.stats.events.map((event) => event.type)).toContain('reuse')
  })

  it('answers an unknown refresh token with invalid_grant', async () => {
    const { api } = await start()

    const response = await refresh(api, 'not-a-token')

    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: 'invalid_grant' })
    expect(api.stats).toMatchObject({ refreshCalls: 1, refreshSuccesses: 0, spentRefreshPresented: 0 })
  })

  it('revokes the family on logout', async () => {
    const { api } = await start()
    const tokens = await login(api)

    const response = await postJson(`${api.url}/auth/logout`, { refreshToken: tokens.refresh_token })

    expect(response.status).toBe(204)
    expect((await refresh(api, tokens.refresh_token)).status).toBe(400)
    expect((await getItem(api, tokens.access_token)).status).toBe(401)
  })

  it('revokes every family on revokeAll()', async () => {
    const { api } = await start()
    const tokens = await login(api)

    api.control.revokeAll()

    expect((await getItem(api, tokens.access_token)).status).toBe(401)
    expect((await refresh(api, tokens.refresh_token)).status).toBe(400)
  })
})

describe('auth API: fault injection', () => {
  it("fails the next refresh once with 500 for 'server_error', leaving the token usable", async () => {
    const { api } = await start()
    const { refresh_token } = await login(api)
    api.control.failNextRefresh('server_error')

    const failed = await refresh(api, refresh_token)
    const retried = await refresh(api, refresh_token)

    expect(failed.status).toBe(500)
    expect(retried.status).toBe(200)
    expect(api.stats).toMatchObject({ refreshCalls: 2, refreshSuccesses: 1 })
  })

  it("keeps a 'hang' refresh open until close(), which resolves and fails the request", async () => {
    const { api } = await start()
    const { refresh_token } = await login(api)
    api.control.failNextRefresh('hang')

    const pending = refresh(api, refresh_token)
    // A real socket to a server with no arrival hook: poll, with a bound no busy machine reaches.
    await vi.waitFor(() => expect(api.stats.refreshCalls).toBe(1), { timeout: 20_000, interval: 5 })

    await expect(api.close()).resolves.toBeUndefined()
    await expect(pending).rejects.toThrow()
  }, 30_000)

  it("destroys the socket for a 'reset' refresh", async () => {
    const { api } = await start()
    const { refresh_token } = await login(api)
    api.control.failNextRefresh('reset')

    await expect(refresh(api, refresh_token)).rejects.toThrow()
    expect((await refresh(api, refresh_token)).status).toBe(200)
  })

  it('rejects an unknown failure kind', async () => {
    const { api } = await start()

    expect(() => api.control.failNextRefresh('teapot' as never)).toThrow(RangeError)
  })

  it('offers the control levers and the stats over HTTP', async () => {
    const { api } = await start({ accessTtlSeconds: 3600 })
    const { access_token } = await login(api)

    expect((await fetch(`${api.url}/control/expireAccessTokens`, { method: 'POST' })).status).toBe(204)
    expect((await postJson(`${api.url}/control/failNextRefresh`, { kind: 'nope' })).status).toBe(400)
    expect((await getItem(api, access_token, '1', { 'x-request-id': 'r1' })).status).toBe(401)

    const stats = (await (await fetch(`${api.url}/control/stats`)).json()) as AuthApiStatsJson
    expect(stats).toMatchObject({ logins: 1, api401: 1, requestIds: {} })
    expect(stats.events.map((event) => event.type)).toEqual(['login', 'control', '401'])
  })

  it('clears stats and queued failures on reset() without replacing the stats object', async () => {
    const { api } = await start()
    const { stats } = api
    const { refresh_token } = await login(api)
    api.control.failNextRefresh('server_error')

    api.control.reset()

    expect(stats).toMatchObject({ logins: 0, refreshCalls: 0, events: [] })
    expect((await refresh(api, refresh_token)).status).toBe(200)
  })
})

describe('auth API: HTTP surface', () => {
  it('counts successful responses per x-request-id', async () => {
    const { api, clock } = await start()
    const { access_token } = await login(api)

    await getItem(api, access_token, '1', { 'x-request-id': 'a' })
    await getItem(api, access_token, '2', { 'x-request-id': 'b' })
    await getItem(api, access_token, '1', { 'x-request-id': 'a' })
    clock.ms += 60_000
    await getItem(api, access_token, '3', { 'x-request-id': 'c' })

    expect(api.stats.requestIds).toEqual(
      new Map([
        ['a', 2],
        ['b', 1],
      ]),
    )
  })

  it('echoes a POSTed JSON body to an authorized caller', async () => {
    const { api } = await start()
    const { access_token } = await login(api)

    const response = await postJson(`${api.url}/api/notes`, { text: 'hi' }, { authorization: `Bearer ${access_token}` })

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ received: { text: 'hi' } })
  })

  it('answers a CORS preflight with 204 and the allowed headers', async () => {
    const { api } = await start()

    const response = await fetch(`${api.url}/api/items/1`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    })

    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type, x-request-id, dpop, x-demo-visitor')
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
    expect(response.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate, Date, DPoP-Nonce')
  })

  it('stamps every response with no-store and a Date from the injected clock', async () => {
    const { api, clock } = await start()

    const response = await fetch(`${api.url}/api/items/1`)

    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('date')).toBe(new Date(clock.ms).toUTCString())
  })
})

describe('auth API: counters per visitor', () => {
  const visitor = (id: string) => ({ 'x-demo-visitor': id })

  it('counts the requests of each visitor apart, and server-wide together', async () => {
    const { api } = await start()
    const response = await postJson(`${api.url}/auth/login`, { username: 'ada', password: 'secret' }, visitor('first-load'))
    const { access_token } = (await response.json()) as AuthApiTokenResponse
    await getItem(api, access_token, '1', visitor('first-load'))
    await getItem(api, 'not-a-token', '2', visitor('second-load'))

    expect(api.control.countersOf('first-load')).toMatchObject({ logins: 1, apiRequests: 1, apiSuccesses: 1, api401: 0 })
    expect(api.control.countersOf('second-load')).toMatchObject({ logins: 0, apiRequests: 1, apiSuccesses: 0, api401: 1 })
    expect(api.stats).toMatchObject({ logins: 1, apiRequests: 2, apiSuccesses: 1, api401: 1 })
  })

  it('gives a visitor it has not seen all counters at zero, over HTTP too', async () => {
    const { api } = await start()
    await login(api)
    const response = await fetch(`${api.url}/control/stats/${encodeURIComponent('a new page load')}`)

    expect(await response.json()).toEqual({ logins: 0, refreshCalls: 0, refreshSuccesses: 0, spentRefreshPresented: 0, apiRequests: 0, apiSuccesses: 0, api401: 0 })
    expect(api.stats.logins).toBe(1)
  })

  it('forgets every visitor on reset()', async () => {
    const { api } = await start()
    await postJson(`${api.url}/auth/login`, { username: 'ada', password: 'secret' }, visitor('v1'))
    api.control.reset()
    expect(api.control.countersOf('v1').logins).toBe(0)
  })
})

describe('auth API: static files', () => {
  async function startWithStaticDir() {
    const parent = await mkdtemp(join(tmpdir(), 'auth-api-'))
    tempDirs.push(parent)
    const root = join(parent, 'public')
    await mkdir(root)
    await writeFile(join(root, 'index.html'), '<h1>demo</h1>')
    await writeFile(join(root, 'app.mjs'), 'export {}')
    await writeFile(join(parent, 'secret.txt'), 'top secret')
    return start({ staticDir: root })
  }

  it('serves index.html for / and files with their content types', async () => {
    const { api } = await startWithStaticDir()

    const index = await fetch(`${api.url}/`)
    const script = await fetch(`${api.url}/app.mjs`)

    expect(index.status).toBe(200)
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await index.text()).toBe('<h1>demo</h1>')
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
  })

  it('answers 404 for missing files', async () => {
    const { api } = await startWithStaticDir()

    expect((await fetch(`${api.url}/nope.css`)).status).toBe(404)
  })

  it('refuses paths that climb out of the static directory', async () => {
    const { api } = await startWithStaticDir()

    // %2f survives URL normalisation, so the server itself sees the "../".
    const response = await fetch(`${api.url}/..%2fsecret.txt`)

    expect(response.status).toBe(404)
    expect(await response.text()).not.toContain('top secret')
  })
})
