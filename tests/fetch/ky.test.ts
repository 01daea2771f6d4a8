import { createAuthFetch, createKyHooks, isReauthError, LoginRequiredError } from 'axios-reauth/fetch'
import ky from 'ky'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { API } from '../helpers/api'
import { arrivals, useMswServer } from '../helpers/msw'
import { deferredSession, useProtectedApi } from './fetch-api'

const server = useMswServer()
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

function kyWithHooks(auth: ReturnType<typeof deferredSession>['auth']) {
  const { beforeRequest, afterResponse } = createKyHooks(auth, { baseURL: API })
  return ky.create({ prefixUrl: API, retry: 0, hooks: { beforeRequest, afterResponse } })
}

describe('ky with createKyHooks', () => {
  it('shares one refresh between 10 concurrent 401s and replays each request once', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const { auth, refresh, pending, called } = deferredSession()
    const api = kyWithHooks(auth)
    const arrived = arrivals(server, 10)
    const requests = Array.from({ length: 10 }, (_, i) => api.get(`items/${i}`).json<{ path: string }>())
    await Promise.all([arrived, called])
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    expect((await Promise.all(requests)).map((body) => body.path)).toEqual(Array.from({ length: 10 }, (_, i) => `/items/${i}`))
    expect(refresh).toHaveBeenCalledTimes(1)
    for (let i = 0; i < 10; i++) expect(calls.filter((call) => call.path === `/items/${i}`).map((call) => call.token)).toEqual(['old', 'new'])
  })

  it('holds a request made during the refresh and sends it once with the new token', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const { auth, pending, called } = deferredSession()
    const api = kyWithHooks(auth)
    const first = api.get('first').json()
    await called
    const held = api.get('held').json()
    await tick()
    expect(calls.filter((call) => call.path === '/held')).toEqual([])
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await Promise.all([first, held])
    expect(calls.filter((call) => call.path === '/held').map((call) => call.token)).toEqual(['new'])
  })

  it('replays a POST with a JSON body through the hooks', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const { auth, pending } = deferredSession()
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    const body = await kyWithHooks(auth).post('orders', { json: { item: 'book' } }).json()
    expect(body).toEqual({ path: '/orders', body: '{"item":"book"}' })
    expect(calls.map((call) => [call.token, call.body])).toEqual([
      ['old', '{"item":"book"}'],
      ['new', '{"item":"book"}'],
    ])
  })

  it('replays a late 401 without another refresh', async () => {
    const valid = new Set<string>()
    const calls = useProtectedApi(server, valid)
    const { auth, refresh, pending, called } = deferredSession()
    let releaseSlow!: () => void
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve))
    server.use(http.get(`${API}/slow`, async () => (await slowGate, new HttpResponse(null, { status: 401 })), { once: true }))
    const api = kyWithHooks(auth)
    const slow = api.get('slow').json()
    const fast = api.get('fast').json()
    await called
    valid.add('new')
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await fast
    releaseSlow()
    await slow
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(calls.filter((call) => call.path === '/slow').map((call) => call.token)).toEqual(['new'])
  })

  it('rejects with LoginRequiredError when the refresh is refused, calling onLoginRequired once', async () => {
    useProtectedApi(server, new Set())
    const { auth, pending, onLoginRequired } = deferredSession()
    pending.reject(Object.assign(new Error('invalid_grant'), { response: { status: 400 } }))
    const api = kyWithHooks(auth)
    const results = await Promise.allSettled([api.get('a'), api.get('b')])
    for (const result of results) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(LoginRequiredError)
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
  })

  it('sends no token with context.skipAuth and leaves its 401 to ky', async () => {
    const calls = useProtectedApi(server, new Set(['old']))
    const { auth, refresh } = deferredSession()
    const error = await kyWithHooks(auth).get('public', { context: { skipAuth: true } }).catch((failure: unknown) => failure)
    expect(error).toMatchObject({ name: 'HTTPError', response: { status: 401 } })
    expect(calls.map((call) => call.token)).toEqual([undefined])
    expect(refresh).not.toHaveBeenCalled()
  })

  it('rejects a context.replay false request with replay-skipped after the refresh', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const { auth, pending } = deferredSession()
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    const error = await kyWithHooks(auth).post('pay', { json: {}, context: { replay: false } }).catch((failure: unknown) => failure)
    expect(isReauthError(error) && error.code).toBe('replay-skipped')
    expect(calls).toHaveLength(1)
  })

  it('never sends the token to another origin', async () => {
    const { auth } = deferredSession()
    const seen: Array<string | null> = []
    server.use(http.get('https://other.test/x', ({ request }) => (seen.push(request.headers.get('authorization')), HttpResponse.json({}))))
    await kyWithHooks(auth).get('https://other.test/x', { prefixUrl: '' }).json()
    expect(seen).toEqual([null])
  })
})

describe('ky with createAuthFetch as its fetch', () => {
  it('refreshes once and replays the request with its JSON body', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const { auth, pending, refresh } = deferredSession()
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    const api = ky.create({ prefixUrl: API, retry: 0, fetch: createAuthFetch(auth, { baseURL: API }) })
    expect(await api.put('notes/1', { json: { text: 'hi' } }).json()).toEqual({ path: '/notes/1', body: '{"text":"hi"}' })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(calls.map((call) => [call.token, call.body])).toEqual([
      ['old', '{"text":"hi"}'],
      ['new', '{"text":"hi"}'],
    ])
  })
})
