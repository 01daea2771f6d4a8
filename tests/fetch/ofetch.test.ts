import { createAuthFetch, LoginRequiredError } from 'axios-reauth/fetch'
import { http, HttpResponse } from 'msw'
import { ofetch } from 'ofetch'
import { describe, expect, it } from 'vitest'
import { API } from '../helpers/api'
import { arrivals, useMswServer } from '../helpers/msw'
import { deferredSession, useProtectedApi } from './fetch-api'

const server = useMswServer()

const ofetchOn = (auth: ReturnType<typeof deferredSession>['auth']) => ofetch.create({ baseURL: API }, { fetch: createAuthFetch(auth, { baseURL: API }) })

describe('ofetch with createAuthFetch as its fetch', () => {
  it('shares one refresh between 10 concurrent 401s and replays each request once', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const { auth, refresh, pending, called } = deferredSession()
    const api = ofetchOn(auth)
    const arrived = arrivals(server, 10)
    const requests = Array.from({ length: 10 }, (_, i) => api<{ path: string }>(`/items/${i}`))
    await Promise.all([arrived, called])
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    expect((await Promise.all(requests)).map((body) => body.path)).toEqual(Array.from({ length: 10 }, (_, i) => `/items/${i}`))
    expect(refresh).toHaveBeenCalledTimes(1)
    for (let i = 0; i < 10; i++) expect(calls.filter((call) => call.path === `/items/${i}`).map((call) => call.token)).toEqual(['old', 'new'])
  })

  it('replays a POST with the JSON body ofetch serialised', async () => {
    const calls = useProtectedApi(server, new Set(['new']))
    const { auth, pending } = deferredSession()
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    expect(await ofetchOn(auth)('/orders', { method: 'POST', body: { item: 'book' } })).toEqual({ path: '/orders', body: '{"item":"book"}' })
    expect(calls.map((call) => [call.token, call.contentType, call.body])).toEqual([
      ['old', 'application/json', '{"item":"book"}'],
      ['new', 'application/json', '{"item":"book"}'],
    ])
  })

  it('rejects with a FetchError caused by LoginRequiredError when the session ends, calling onLoginRequired once', async () => {
    useProtectedApi(server, new Set())
    const { auth, pending, onLoginRequired } = deferredSession()
    pending.reject(Object.assign(new Error('invalid_grant'), { response: { status: 400 } }))
    const error = await ofetchOn(auth)('/me', { retry: 0 }).catch((failure: unknown) => failure)
    expect(error).toMatchObject({ name: 'FetchError' })
    expect((error as Error).cause).toBeInstanceOf(LoginRequiredError)
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
  })

  it('passes a 404 to ofetch, which throws its own FetchError for it', async () => {
    const { auth, refresh } = deferredSession()
    server.use(http.get(`${API}/missing`, () => new HttpResponse(null, { status: 404 })))
    await expect(ofetchOn(auth)('/missing')).rejects.toMatchObject({ name: 'FetchError', statusCode: 404 })
    expect(refresh).not.toHaveBeenCalled()
  })
})
