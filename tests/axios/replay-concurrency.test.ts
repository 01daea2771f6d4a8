import axios, { AxiosError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import { ConfigurationError, createAuthClient, type RefreshResult } from 'axios-reauth'
import { describe, expect, it } from 'vitest'
import { createDeferred, type Deferred } from '../../src/core/support/deferred'

/**
 * An API whose answers the test releases one by one: it accepts only `valid` tokens, and records
 * how many requests are in flight at once and in which order they arrived.
 */
function heldApi(valid: string) {
  const inFlight = new Set<Deferred<void>>()
  const arrived: Array<{ id: string; authorization: string | undefined }> = []
  let mostAtOnce = 0
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const authorization = config.headers.get('Authorization') as string | undefined
    const id = String(config.params?.id)
    arrived.push({ id, authorization })
    const response = { data: { id }, status: 200, statusText: 'OK', headers: {}, config, request: {} } as AxiosResponse
    if (authorization !== `Bearer ${valid}`) {
      throw new AxiosError('401', AxiosError.ERR_BAD_REQUEST, config, {}, { ...response, status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } } as AxiosResponse)
    }
    const answer = createDeferred<void>()
    inFlight.add(answer)
    mostAtOnce = Math.max(mostAtOnce, inFlight.size)
    await answer.promise
    inFlight.delete(answer)
    return response
  }
  /**
   * Answers every request in flight, turn after turn of the event loop, until `settled` settles:
   * the released requests may wait for the replay cap's queue to load first.
   */
  const answerAll = async (settled: Promise<unknown>) => {
    let done = false
    void settled.then(
      () => (done = true),
      () => (done = true),
    )
    while (!done) {
      for (const answer of [...inFlight]) answer.resolve()
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  return { adapter, arrived, answerAll, get mostAtOnce() { return mostAtOnce }, get inFlight() { return inFlight.size } }
}

function setup(replayConcurrency?: number) {
  const server = heldApi('new')
  const refreshed = createDeferred<RefreshResult>()
  const auth = createAuthClient({ refresh: () => refreshed.promise, tokens: { accessToken: 'old', refreshToken: 'r1' }, ...(replayConcurrency !== undefined && { replayConcurrency }) })
  const api = axios.create({ baseURL: 'https://api.test', adapter: server.adapter })
  auth.attach(api)
  return { server, refreshed, auth, api }
}

/** Ten requests that get 401 and start the refresh, then ten made while it runs (held). */
async function burst(api: ReturnType<typeof setup>['api'], auth: ReturnType<typeof setup>['auth']) {
  const rejected = Array.from({ length: 10 }, (_, i) => api.get('/items', { params: { id: `401-${i}` } }))
  while (auth.status !== 'refreshing') await new Promise((resolve) => setImmediate(resolve))
  const held = Array.from({ length: 10 }, (_, i) => api.get('/items', { params: { id: `held-${i}` } }))
  return [...rejected, ...held]
}

describe('replayConcurrency', () => {
  it('keeps at most that many released requests in flight, and every one still succeeds with the new token', async () => {
    const { server, refreshed, auth, api } = setup(3)
    const all = burst(api, auth)
    const requests = await all
    refreshed.resolve({ accessToken: 'new', refreshToken: 'r2' })
    const settled = Promise.all(requests)
    await server.answerAll(settled)
    const responses = await settled
    expect(responses.map((response) => response.data.id)).toHaveLength(20)
    expect(server.mostAtOnce).toBe(3)
    const sentWithNew = server.arrived.filter((call) => call.authorization === 'Bearer new').map((call) => call.id)
    expect(sentWithNew.sort()).toEqual([...Array.from({ length: 10 }, (_, i) => `401-${i}`), ...Array.from({ length: 10 }, (_, i) => `held-${i}`)].sort())
  })

  it('releases the requests of each kind in the order they arrived', async () => {
    const { server, refreshed, auth, api } = setup(1)
    const requests = await burst(api, auth)
    refreshed.resolve({ accessToken: 'new', refreshToken: 'r2' })
    const settled = Promise.all(requests)
    await server.answerAll(settled)
    await settled
    const order = server.arrived.filter((call) => call.authorization === 'Bearer new').map((call) => call.id)
    expect(order.filter((id) => id.startsWith('held'))).toEqual(Array.from({ length: 10 }, (_, i) => `held-${i}`))
    expect(order.filter((id) => id.startsWith('401'))).toEqual(Array.from({ length: 10 }, (_, i) => `401-${i}`))
  })

  it('sends everything at once without it', async () => {
    const { server, refreshed, auth, api } = setup()
    const requests = await burst(api, auth)
    refreshed.resolve({ accessToken: 'new', refreshToken: 'r2' })
    const settled = Promise.all(requests)
    await server.answerAll(settled)
    await settled
    expect(server.mostAtOnce).toBe(20)
  })

  it.each([0, -1, 1.5, Number.NaN, '6'])('refuses replayConcurrency: %s with a ConfigurationError naming the fix', (value) => {
    expect(() => createAuthClient({ refresh: async () => ({ accessToken: 'a' }), replayConcurrency: value as number })).toThrow(ConfigurationError)
    expect(() => createAuthClient({ refresh: async () => ({ accessToken: 'a' }), replayConcurrency: value as number })).toThrow(/replayConcurrency.*Pass e\.g\. replayConcurrency: 6/)
  })
})
