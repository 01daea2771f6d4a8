import { createAuthFetch, isReauthError, LoginRequiredError, RefreshFailedError } from 'axios-reauth/fetch'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { API } from '../helpers/api'
import { arrivals, useMswServer } from '../helpers/msw'
import { deferredSession, useProtectedApi } from './fetch-api'

const server = useMswServer()
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('createAuthFetch', () => {
  it('shares one refresh between 20 concurrent 401s and replays each request once', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const { auth, refresh, pending, called } = deferredSession()
    const authFetch = createAuthFetch(auth, { baseURL: API })
    const arrived = arrivals(server, 20)
    const requests = Array.from({ length: 20 }, (_, i) => authFetch(`${API}/items/${i}`))
    await Promise.all([arrived, called])
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    const bodies = await Promise.all((await Promise.all(requests)).map((response) => response.json()))
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(bodies.map((body) => body.path)).toEqual(Array.from({ length: 20 }, (_, i) => `/items/${i}`))
    for (let i = 0; i < 20; i++) expect(calls.filter((call) => call.path === `/items/${i}`).map((call) => call.token)).toEqual(['old', 'new'])
  })

  it('holds requests made during a refresh and sends each once, with the new token', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const { auth, pending, called } = deferredSession()
    const authFetch = createAuthFetch(auth, { baseURL: API })
    const first = authFetch(`${API}/first`)
    await called
    const held = Array.from({ length: 5 }, (_, i) => authFetch(`${API}/held/${i}`))
    await tick()
    expect(calls.filter((call) => call.path.startsWith('/held'))).toEqual([])
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    const responses = await Promise.all([first, ...held])
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200])
    expect(calls.filter((call) => call.path.startsWith('/held')).map((call) => call.token)).toEqual(['new', 'new', 'new', 'new', 'new'])
  })

  it('replays a late 401 with the current token without another refresh', async () => {
    const valid = new Set<string>()
    const calls = useProtectedApi(server, valid)
    const { auth, refresh, pending, called } = deferredSession()
    const authFetch = createAuthFetch(auth, { baseURL: API })
    // The slow request is answered only once the refresh is over: its 401 is for the old token.
    let releaseSlow!: () => void
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve))
    server.use(http.get(`${API}/slow`, async () => (await slowGate, new HttpResponse(null, { status: 401 })), { once: true }))
    const slow = authFetch(`${API}/slow`)
    const fast = authFetch(`${API}/fast`)
    await called
    valid.add('new')
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    expect((await fast).status).toBe(200)
    releaseSlow()
    expect((await slow).status).toBe(200)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(calls.filter((call) => call.path === '/slow').map((call) => call.token)).toEqual(['new'])
  })

  it('rejects every waiting request with LoginRequiredError and calls onLoginRequired once when the refresh is refused', async () => {
    useProtectedApi(server, new Set())
    const { auth, pending, called, onLoginRequired } = deferredSession()
    const authFetch = createAuthFetch(auth, { baseURL: API })
    const first = authFetch(`${API}/a`)
    await called
    const held = [authFetch(`${API}/b`), authFetch(`${API}/c`)]
    const refused = Object.assign(new Error('invalid_grant'), { response: { status: 400 } })
    pending.reject(refused)
    const results = await Promise.allSettled([first, ...held])
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected'])
    for (const result of results) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(LoginRequiredError)
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
    expect(auth.status).toBe('unauthenticated')
  })

  it('rejects with RefreshFailedError and keeps the session when the refresh fails transiently', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const { auth, pending, onLoginRequired } = deferredSession()
    pending.reject(Object.assign(new Error('Service Unavailable'), { status: 503 }))
    const error = await createAuthFetch(auth, { baseURL: API })(`${API}/me`).catch((failure: unknown) => failure)
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect((error as RefreshFailedError).retryable).toBe(true)
    expect(auth.getTokens()).toMatchObject({ refreshToken: 'r1' })
    expect(onLoginRequired).not.toHaveBeenCalled()
    expect(calls.map((call) => call.token)).toEqual(['old'])
  })

  it('ends the session when the replay gets 401 again, without a second refresh', async () => {
    const calls = useProtectedApi(server, new Set())
    const { auth, refresh, pending, onLoginRequired } = deferredSession()
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    const error = await createAuthFetch(auth, { baseURL: API })(`${API}/me`).catch((failure: unknown) => failure)
    expect(error).toBeInstanceOf(LoginRequiredError)
    expect((error as LoginRequiredError).reason).toBe('token-revoked')
    expect((error as Error).cause).toMatchObject({ name: 'FetchResponseError', status: 401, message: 'GET https://api.test/me answered 401.' })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
    expect(calls.map((call) => call.token)).toEqual(['old', 'new'])
  })

  it('rejects a held request with its signal’s reason when it is aborted, and never sends it', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const { auth, pending, called } = deferredSession()
    const authFetch = createAuthFetch(auth, { baseURL: API })
    const first = authFetch(`${API}/first`)
    await called
    const controller = new AbortController()
    const held = authFetch(`${API}/held`, { signal: controller.signal })
    const reason = new DOMException('The user left the page.', 'AbortError')
    controller.abort(reason)
    await expect(held).rejects.toBe(reason)
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await first
    expect(calls.filter((call) => call.path === '/held')).toEqual([])
  })

  it('rejects a request aborted while it waits for its replay, and does not replay it', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const { auth, pending, called } = deferredSession()
    const controller = new AbortController()
    const request = createAuthFetch(auth, { baseURL: API })(`${API}/me`, { signal: controller.signal })
    await called
    controller.abort()
    await expect(request).rejects.toMatchObject({ name: 'AbortError' })
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await tick()
    expect(calls.map((call) => call.token)).toEqual(['old'])
  })

  it('passes 403, 404 and 500 responses through as fetch returns them', async () => {
    const { auth, refresh } = deferredSession()
    server.use(http.get(`${API}/:status`, ({ params }) => new HttpResponse('as sent', { status: Number(params.status) })))
    const authFetch = createAuthFetch(auth, { baseURL: API })
    for (const status of [403, 404, 500]) {
      const response = await authFetch(`${API}/${status}`)
      expect([response.status, await response.text()]).toEqual([status, 'as sent'])
    }
    expect(refresh).not.toHaveBeenCalled()
  })

  it('rejects an insufficient_scope 401 with InsufficientScopeError and no refresh', async () => {
    const { auth, refresh } = deferredSession()
    server.use(http.get(`${API}/admin`, () => new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="admin"' } })))
    const error = await createAuthFetch(auth, { baseURL: API })(`${API}/admin`).catch((failure: unknown) => failure)
    expect(error).toMatchObject({ code: 'insufficient-scope', scope: 'admin' })
    expect(refresh).not.toHaveBeenCalled()
  })

  it('returns a 401 with only a Basic challenge as it is, without a refresh', async () => {
    const { auth, refresh } = deferredSession()
    server.use(http.get(`${API}/basic`, () => new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="files"' } })))
    expect((await createAuthFetch(auth, { baseURL: API })(`${API}/basic`)).status).toBe(401)
    expect(refresh).not.toHaveBeenCalled()
  })

  it('sends a skipAuth request without the token, and leaves its 401 alone', async () => {
    const calls = useProtectedApi(server, new Set(['old']))
    const { auth, refresh } = deferredSession()
    const response = await createAuthFetch(auth, { baseURL: API })(`${API}/public`, { skipAuth: true })
    expect(response.status).toBe(401)
    expect(calls.map((call) => call.token)).toEqual([undefined])
    expect(refresh).not.toHaveBeenCalled()
  })

  it('rejects a { replay: false } request after the refresh with replay-skipped, sent once', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const { auth, pending, refresh } = deferredSession()
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    const error = await createAuthFetch(auth, { baseURL: API })(`${API}/pay`, { method: 'POST', body: '{}', replay: false }).catch((failure: unknown) => failure)
    expect(isReauthError(error) && error.code).toBe('replay-skipped')
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(calls.map((call) => call.token)).toEqual(['old'])
  })

  it('sends the refresh’s own call, recognised by its signal, through the auth fetch at once and bare', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    server.use(http.post(`${API}/token`, () => HttpResponse.json({ access_token: 'new' })))
    let authFetch!: ReturnType<typeof createAuthFetch>
    const { createAuthSession } = await import('axios-reauth/fetch')
    const auth = createAuthSession({
      tokens: { accessToken: 'old', refreshToken: 'r1' },
      refresh: async ({ signal }) => {
        // Something awaited first (a CSRF token, a lock): only the signal tells the call apart now.
        await new Promise((resolve) => setTimeout(resolve, 0))
        return { accessToken: (await (await authFetch(`${API}/token`, { method: 'POST', signal })).json()).access_token }
      },
    })
    authFetch = createAuthFetch(auth, { baseURL: API })
    expect((await authFetch(`${API}/me`)).status).toBe(200)
    expect(calls.map((call) => call.token)).toEqual(['old', 'new'])
  })

  it('refuses a value that is not a client with a ConfigurationError', () => {
    expect(() => createAuthFetch({} as never)).toThrow(/createAuthFetch\(\) needs an auth client .*pass what createAuthSession\(\) or createAuthClient\(\) returned/)
    const { auth } = deferredSession()
    expect(() => createAuthFetch(auth, { fetch: 'no' as never })).toThrow(expect.objectContaining({ code: 'invalid-option' }))
  })
})
