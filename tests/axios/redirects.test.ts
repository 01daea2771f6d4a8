import axiosNewest from 'axios'
import axiosOldest from 'axios-oldest'
import { createAuthClient } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { API, bearerOf } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()

// The oldest and the newest axios the peer range admits: their http adapters follow redirects
// with different rules of their own.
const versions = [
  ['oldest', axiosOldest],
  ['newest', axiosNewest],
] as const

const SUBDOMAIN = 'https://files.api.test'

function client(axios: typeof axiosNewest, allowedOrigins: string[] = [], header?: string) {
  const refresh = vi.fn(async () => ({ accessToken: 'fresh', refreshToken: 'r2' }))
  const onLoginRequired = vi.fn()
  const auth = createAuthClient({ refresh, onLoginRequired, tokens: { accessToken: 'secret', refreshToken: 'r1' }, allowedOrigins, header })
  const api = axios.create({ baseURL: API })
  auth.attach(api)
  return { api, auth, refresh, onLoginRequired }
}

// Both axios versions drop Authorization on this redirect by themselves; a header of the
// client's own is dropped by axios-reauth's guard alone, so it shows that the guard ran.
const OWN_HEADER = 'X-Access-Token'
const carriesOwnHeader = (options: { headers?: Record<string, unknown> }) => Object.keys(options.headers ?? {}).some((name) => name.toLowerCase() === OWN_HEADER.toLowerCase())

function redirectTo(target: string) {
  server.use(http.get(`${API}/moved`, () => new HttpResponse(null, { status: 302, headers: { Location: target } })))
}

describe.each(versions)('redirects with the %s axios of the peer range', (_, axios) => {
  it('drops the token on a redirect to a subdomain that is not allowed', async () => {
    const seen: Array<string | undefined> = []
    redirectTo(`${SUBDOMAIN}/file`)
    server.use(http.get(`${SUBDOMAIN}/file`, ({ request }) => (seen.push(request.headers.get('authorization') ?? undefined), HttpResponse.json({ ok: true }))))
    const { api } = client(axios as typeof axiosNewest)
    await api.get('/moved')
    expect(seen).toEqual([undefined])
  })

  it("drops the client's own header on a redirect to a subdomain that is not allowed, which axios keeps", async () => {
    const seen: Array<string | undefined> = []
    redirectTo(`${SUBDOMAIN}/file`)
    server.use(http.get(`${SUBDOMAIN}/file`, ({ request }) => (seen.push(request.headers.get(OWN_HEADER) ?? undefined), HttpResponse.json({ ok: true }))))
    const { api } = client(axios as typeof axiosNewest, [], OWN_HEADER)
    await api.get('/moved')
    expect(seen).toEqual([undefined])
  })

  it('keeps the token on a redirect within the same origin', async () => {
    const seen: Array<string | undefined> = []
    redirectTo(`${API}/v2/file`)
    server.use(http.get(`${API}/v2/file`, ({ request }) => (seen.push(bearerOf(request)), HttpResponse.json({ ok: true }))))
    const { api } = client(axios as typeof axiosNewest)
    await api.get('/moved')
    expect(seen).toEqual(['secret'])
  })

  it("still runs the app's own beforeRedirect, after the token is gone", async () => {
    const seenByApp: unknown[] = []
    redirectTo(`${SUBDOMAIN}/x`)
    server.use(http.get(`${SUBDOMAIN}/x`, () => HttpResponse.json({})))
    const { api } = client(axios as typeof axiosNewest, [], OWN_HEADER)
    await api.get('/moved', { beforeRedirect: (options) => seenByApp.push(carriesOwnHeader(options)) })
    expect(seenByApp).toEqual([false])
  })

  it("guards an instance's default beforeRedirect once, not once per request", async () => {
    const seenByApp: unknown[] = []
    redirectTo(`${SUBDOMAIN}/x`)
    server.use(http.get(`${SUBDOMAIN}/x`, () => HttpResponse.json({})))
    const { api } = client(axios as typeof axiosNewest, [], OWN_HEADER)
    api.defaults.beforeRedirect = (options) => seenByApp.push(carriesOwnHeader(options))
    const first = await api.get('/moved')
    const second = await api.get('/moved')
    expect(seenByApp).toEqual([false, false])
    // One guard for the hook: a new one per request would cost every request a closure and a weak entry.
    expect(second.config.beforeRedirect).toBe(first.config.beforeRedirect)
    expect(first.config.beforeRedirect).not.toBe(api.defaults.beforeRedirect)
  })

  it("runs the app's beforeRedirect once per hop on a replay too, after the token is gone", async () => {
    const hops: boolean[] = []
    server.use(
      http.get(`${API}/moved`, ({ request }) =>
        request.headers.get(OWN_HEADER) === 'Bearer fresh'
          ? new HttpResponse(null, { status: 302, headers: { Location: `${SUBDOMAIN}/x` } })
          : new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } }),
      ),
      http.get(`${SUBDOMAIN}/x`, () => HttpResponse.json({ ok: true })),
    )
    const { api, refresh } = client(axios as typeof axiosNewest, [], OWN_HEADER)
    await api.get('/moved', { beforeRedirect: (options) => hops.push(carriesOwnHeader(options)) })
    expect(refresh).toHaveBeenCalledTimes(1)
    // One hop, seen once, with the token already dropped: the replay kept the guard around the app's hook.
    expect(hops).toEqual([false])
  })

  it('passes a 401 from a redirect target that is not allowed through untouched, without a refresh or a sign-out', async () => {
    redirectTo('https://open-redirect.test/login')
    server.use(http.get('https://open-redirect.test/login', () => new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })))
    const { api, auth, refresh, onLoginRequired } = client(axios as typeof axiosNewest)
    const error = await api.get('/moved').catch((failure: unknown) => failure)
    expect(axiosNewest.isAxiosError(error) && error.response?.status).toBe(401)
    expect(refresh).not.toHaveBeenCalled()
    expect(onLoginRequired).not.toHaveBeenCalled()
    expect(auth.status).toBe('authenticated')
  })

  it('still refreshes for a 401 from an allowed origin reached through a redirect', async () => {
    redirectTo(`${API}/v2/me`)
    server.use(
      http.get(`${API}/v2/me`, ({ request }) =>
        bearerOf(request) === 'fresh' ? HttpResponse.json({ ok: true }) : new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } }),
      ),
    )
    const { api, refresh } = client(axios as typeof axiosNewest)
    await expect(api.get('/moved').then((response) => response.data)).resolves.toEqual({ ok: true })
    expect(refresh).toHaveBeenCalledTimes(1)
  })
})
