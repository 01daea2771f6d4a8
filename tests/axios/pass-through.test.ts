import axios, { AxiosError } from 'axios'
import { createAuthClient } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { API, bearerOf } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()

function setup() {
  const refresh = vi.fn(async () => ({ accessToken: 'new', refreshToken: 'r2' }))
  const auth = createAuthClient({ refresh, tokens: { accessToken: 'old', refreshToken: 'r1' } })
  const api = axios.create({ baseURL: API })
  return { api, auth, refresh, detach: auth.attach(api) }
}

describe('what passes through untouched', () => {
  it.each([403, 404, 500])('rejects a %i with the original AxiosError and no refresh', async (status) => {
    server.use(http.get(`${API}/x`, () => new HttpResponse(null, { status })))
    const { api, refresh } = setup()
    let original: unknown
    api.interceptors.response.use(undefined, (error) => {
      original = error
      return Promise.reject(error)
    })
    const error = await api.get('/x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AxiosError)
    expect((error as AxiosError).response?.status).toBe(status)
    expect(refresh).not.toHaveBeenCalled()
    expect(original).toBe(error)
  })

  it('rejects a network error with the original AxiosError and no refresh', async () => {
    server.use(http.get(`${API}/x`, () => HttpResponse.error()))
    const { api, refresh } = setup()
    const error = await api.get('/x').catch((e: unknown) => e)
    expect(axios.isAxiosError(error)).toBe(true)
    expect((error as AxiosError).response).toBeUndefined()
    expect(refresh).not.toHaveBeenCalled()
  })

  it('sends a skipAuth request without the token, and its 401 passes through without a refresh', async () => {
    const seen: Array<string | undefined> = []
    server.use(http.get(`${API}/public`, ({ request }) => {
      seen.push(bearerOf(request))
      return new HttpResponse(null, { status: 401 })
    }))
    const { api, refresh } = setup()
    const error = await api.get('/public', { skipAuth: true }).catch((e: unknown) => e)
    expect(axios.isAxiosError(error) && error.response?.status).toBe(401)
    expect(seen).toEqual([undefined])
    expect(refresh).not.toHaveBeenCalled()
  })

  it('removes both interceptors on detach', async () => {
    const seen: Array<string | undefined> = []
    server.use(http.get(`${API}/x`, ({ request }) => {
      seen.push(bearerOf(request))
      return new HttpResponse(null, { status: 401 })
    }))
    const { api, refresh, detach } = setup()
    detach()
    await api.get('/x').catch(() => undefined)
    expect(seen).toEqual([undefined])
    expect(refresh).not.toHaveBeenCalled()
  })

  it('attaches once when attach is called twice on one instance, returning the same detach', () => {
    const { api, auth, detach } = setup()
    const installed = (manager: object) => (manager as { handlers: unknown[] }).handlers.filter(Boolean).length
    expect(auth.attach(api)).toBe(detach)
    expect([installed(api.interceptors.request), installed(api.interceptors.response)]).toEqual([1, 1])
    detach()
    expect([installed(api.interceptors.request), installed(api.interceptors.response)]).toEqual([0, 0])
})
})
