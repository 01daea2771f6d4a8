import axios, { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import { createAuthClient } from 'axios-reauth'
import { expect, it, vi } from 'vitest'

// The chunk that holds p-queue did not arrive (a deploy replaced it, the network dropped it).
vi.mock('p-queue', () => {
  throw new Error('Failed to fetch dynamically imported module')
})

it('sends released requests uncapped, with one warning, when the replay cap’s queue cannot load', async () => {
  const logger = { debug: vi.fn(), warn: vi.fn() }
  const auth = createAuthClient({ refresh: async () => ({ accessToken: 'new' }), tokens: { accessToken: 'old', refreshToken: 'r1' }, replayConcurrency: 2, logger })
  const api = axios.create({
    baseURL: 'https://api.test',
    adapter: async (config: InternalAxiosRequestConfig) => {
      const response = { data: config.params.id, status: 200, statusText: 'OK', headers: {}, config, request: {} } as AxiosResponse
      if (config.headers.get('Authorization') === 'Bearer new') return response
      throw new AxiosError('401', AxiosError.ERR_BAD_REQUEST, config, {}, { ...response, status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
    },
  })
  auth.attach(api)
  const responses = await Promise.all(Array.from({ length: 5 }, (_, id) => api.get('/items', { params: { id } })))
  expect(responses.map((response) => response.data)).toEqual([0, 1, 2, 3, 4])
  expect(logger.warn).toHaveBeenCalledTimes(1)
  expect(String(logger.warn.mock.calls[0]?.[0])).toMatch(/^\[axios-reauth\] replayConcurrency is not applied: p-queue did not load \(.+\)\. Released requests go uncapped\.$/)
})
