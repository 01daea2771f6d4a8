import axios, { type AxiosError } from 'axios'
import { createAuthClient } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { API } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()
const MIRROR = 'https://mirror.test'

/** The API fails with 503 (so the app retries elsewhere); the mirror records what it received. */
function failoverSetup() {
  const atMirror: Array<string | null> = []
  server.use(
    http.get(`${API}/*`, () => new HttpResponse(null, { status: 503 })),
    http.get(`${MIRROR}/*`, ({ request }) => (atMirror.push(request.headers.get('authorization')), HttpResponse.json({}))),
  )
  const auth = createAuthClient({ refresh: async () => ({ accessToken: 'fresh' }), tokens: { accessToken: 'secret', refreshToken: 'r1' } })
  const api = axios.create({ baseURL: API })
  auth.attach(api)
  return { api, auth, atMirror }
}

describe('a config sent again', () => {
  it('loses the token this client wrote when it is re-sent to an origin that is not allowed', async () => {
    const { api, atMirror } = failoverSetup()
    const error = (await api.get('/data').catch((e: unknown) => e)) as AxiosError
    await api.request({ ...error.config, baseURL: MIRROR })
    expect(atMirror).toEqual([null])
  })

  it('loses the token this client wrote when it is re-sent with skipAuth', async () => {
    const seen: Array<string | null> = []
    server.use(
      http.get(`${API}/public`, ({ request }) => (seen.push(request.headers.get('authorization')), seen.length === 1 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json({}))),
    )
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'fresh' }), tokens: { accessToken: 'secret' } })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    const error = (await api.get('/public').catch((e: unknown) => e)) as AxiosError
    await api.request({ ...error.config, skipAuth: true })
    expect(seen).toEqual(['Bearer secret', null])
  })

  it('keeps an Authorization header the app set itself, wherever it goes', async () => {
    const { api, atMirror } = failoverSetup()
    const error = (await api.get('/data').catch((e: unknown) => e)) as AxiosError
    error.config!.headers.set('Authorization', 'Basic bWlycm9yOnB3')
    await api.request({ ...error.config, baseURL: MIRROR })
    expect(atMirror).toEqual(['Basic bWlycm9yOnB3'])
  })

  it('never answers a 401 from the other origin with a refresh', async () => {
    const refresh = vi.fn(async () => ({ accessToken: 'fresh' }))
    server.use(
      http.get(`${API}/*`, () => new HttpResponse(null, { status: 503 })),
      http.get(`${MIRROR}/*`, () => new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })),
    )
    const auth = createAuthClient({ refresh, tokens: { accessToken: 'secret', refreshToken: 'r1' } })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    const error = (await api.get('/data').catch((e: unknown) => e)) as AxiosError
    const again = await api.request({ ...error.config, baseURL: MIRROR }).catch((e: unknown) => e)
    expect(axios.isAxiosError(again) && again.response?.status).toBe(401)
    expect(refresh).not.toHaveBeenCalled()
  })

  it('goes with the current token when it is re-sent to the API after a refresh', async () => {
    const seen: Array<string | null> = []
    server.use(http.get(`${API}/*`, ({ request }) => (seen.push(request.headers.get('authorization')), seen.length === 1 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json({}))))
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'fresh' }), tokens: { accessToken: 'secret', refreshToken: 'r1' } })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    const error = (await api.get('/data').catch((e: unknown) => e)) as AxiosError
    await auth.refresh()
    await api.request({ ...error.config })
    expect(seen).toEqual(['Bearer secret', 'Bearer fresh'])
  })
})
