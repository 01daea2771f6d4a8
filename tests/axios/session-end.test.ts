import axios from 'axios'
import { createAuthClient, LoginRequiredError, RefreshFailedError, type RefreshResult } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'
import { API, protectedApi } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()
const TOKEN_URL = 'https://auth.test/token'

/** A client whose refresh posts to a token endpoint with plain axios, as an app would. */
function setup(tokens: { accessToken: string; refreshToken?: string } = { accessToken: 'old', refreshToken: 'r1' }) {
  const valid = new Set(['new'])
  const api = protectedApi(valid)
  server.use(api.handler)
  const onLoginRequired = vi.fn()
  const refresh = vi.fn(async ({ refreshToken, signal }: { refreshToken?: string; signal: AbortSignal }) => {
    const { data } = await axios.post(TOKEN_URL, { refreshToken }, { signal })
    return { accessToken: data.access_token, refreshToken: data.refresh_token } as RefreshResult
  })
  const auth = createAuthClient({ refresh, onLoginRequired, tokens })
  const client = axios.create({ baseURL: API })
  auth.attach(client)
  return { api, valid, refresh, auth, client, onLoginRequired }
}

const settleAll = (promises: Array<Promise<unknown>>) => Promise.allSettled(promises)

describe('when the session is over', () => {
  it('rejects every failed and held request with LoginRequiredError when the refresh token is rejected', async () => {
    server.use(http.post(TOKEN_URL, () => HttpResponse.json({ error: 'invalid_grant' }, { status: 400 })))
    const { client, auth, onLoginRequired } = setup()
    const results = await settleAll(Array.from({ length: 10 }, (_, i) => client.get(`/x/${i}`)))
    for (const result of results) {
      expect(result.status).toBe('rejected')
      const error = (result as PromiseRejectedResult).reason
      expect(error).toBeInstanceOf(LoginRequiredError)
      expect(error.reason).toBe('refresh-rejected')
      expect(axios.isAxiosError(error.cause) && error.cause.response?.status).toBe(400)
    }
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
    expect(onLoginRequired).toHaveBeenCalledWith({ reason: 'refresh-rejected', error: expect.any(LoginRequiredError) })
    expect(auth.getTokens()).toBeUndefined()
    expect(auth.status).toBe('unauthenticated')
  })

  it('rejects requests held during the failed refresh, not only the ones that got 401', async () => {
    const answer = createDeferred()
    const reached = createDeferred<void>()
    server.use(http.post(TOKEN_URL, async () => {
      reached.resolve()
      await answer.promise
      return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 })
    }))
    const { client, auth, api } = setup()
    const first = client.get('/first')
    await reached.promise
    expect(auth.status).toBe('refreshing')
    const held = client.get('/held')
    answer.resolve()
    const results = await settleAll([first, held])
    expect(results.map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(LoginRequiredError), expect.any(LoginRequiredError)])
    expect(api.calls.map((call) => call.path)).toEqual(['/first'])
  })

  it('treats a 401 from the token endpoint as the end of the session', async () => {
    server.use(http.post(TOKEN_URL, () => new HttpResponse(null, { status: 401 })))
    const { client, onLoginRequired } = setup()
    await expect(client.get('/x')).rejects.toBeInstanceOf(LoginRequiredError)
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
  })

  it('ends the session without calling refresh when there is no refresh token', async () => {
    const { client, refresh, onLoginRequired } = setup({ accessToken: 'old' })
    const error = await client.get('/x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LoginRequiredError)
    expect((error as LoginRequiredError).reason).toBe('no-refresh-token')
    expect(refresh).not.toHaveBeenCalled()
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
  })

  it('calls onLoginRequired once per episode, and again after new tokens end the same way', async () => {
    server.use(http.post(TOKEN_URL, () => HttpResponse.json({ error: 'invalid_grant' }, { status: 400 })))
    const { client, auth, onLoginRequired } = setup()
    await settleAll([client.get('/a'), client.get('/b')])
    await settleAll([client.get('/c')])
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
    auth.setTokens({ accessToken: 'old2', refreshToken: 'r9' })
    await settleAll([client.get('/d')])
    expect(onLoginRequired).toHaveBeenCalledTimes(2)
  })

  it('ends the session when a replayed request gets 401 again, with one refresh and one login callback', async () => {
    server.use(
      http.post(TOKEN_URL, () => HttpResponse.json({ access_token: 'rejected-at-once', refresh_token: 'r2' })),
      http.get(`${API}/*`, () => new HttpResponse(null, { status: 401 })),
    )
    const { client, refresh, onLoginRequired, auth } = setup()
    const results = await settleAll(Array.from({ length: 5 }, (_, i) => client.get(`/x/${i}`)))
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof LoginRequiredError)).toBe(true)
    expect((results[0] as PromiseRejectedResult).reason.reason).toBe('token-revoked')
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
    expect(auth.status).toBe('unauthenticated')
  })

  it('never refreshes because of the refresh call itself, even through an attached instance', async () => {
    const onLoginRequired = vi.fn()
    let api!: ReturnType<typeof axios.create>
    const refresh = vi.fn(async ({ refreshToken }: { refreshToken?: string }) => {
      const { data } = await api.post('/auth/refresh', { refreshToken })
      return { accessToken: data.access_token }
    })
    server.use(http.all(`${API}/*`, () => new HttpResponse(null, { status: 401 })))
    const auth = createAuthClient({ refresh, onLoginRequired, tokens: { accessToken: 'old', refreshToken: 'r1' } })
    api = axios.create({ baseURL: API })
    auth.attach(api)
    await expect(api.get('/x')).rejects.toBeInstanceOf(LoginRequiredError)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
  })
})

it('ends the session fully even when onLoginRequired throws', async () => {
  server.use(http.post(TOKEN_URL, () => HttpResponse.json({ error: 'invalid_grant' }, { status: 400 })))
  const thrown: unknown[] = []
  const reported = createDeferred<void>()
  const onUncaught = (error: unknown) => {
    thrown.push(error)
    reported.resolve()
  }
  process.on('uncaughtException', onUncaught)
  try {
    const auth = createAuthClient({
      refresh: async () => Promise.reject(Object.assign(new Error('rejected'), { response: { status: 400 } })),
      onLoginRequired: () => {
        throw new Error('router not ready')
      },
      tokens: { accessToken: 'old', refreshToken: 'r1' },
    })
    server.use(http.get(`${API}/*`, () => new HttpResponse(null, { status: 401 })))
    const client = axios.create({ baseURL: API })
    auth.attach(client)
    await expect(client.get('/x')).rejects.toBeInstanceOf(LoginRequiredError)
    expect(auth.status).toBe('unauthenticated')
    await reported.promise
    expect(thrown).toEqual([expect.objectContaining({ message: 'router not ready' })])
  } finally {
    process.off('uncaughtException', onUncaught)
  }
})

describe('when the refresh fails for a passing reason', () => {
  it.each([
    ['a 503 from the token endpoint', () => new HttpResponse(null, { status: 503 })],
    ['a network error', () => HttpResponse.error()],
  ])('keeps the session after %s and rejects waiting requests with a retryable error', async (_, answer) => {
    server.use(http.post(TOKEN_URL, answer, { once: true }))
    const { client, auth, onLoginRequired, refresh } = setup()
    const results = await settleAll([client.get('/a'), client.get('/b')])
    for (const result of results) {
      const error = (result as PromiseRejectedResult).reason
      expect(error).toBeInstanceOf(RefreshFailedError)
      expect(error).toMatchObject({ code: 'refresh-failed', retryable: true })
      expect(error.cause).toBeDefined()
    }
    expect(onLoginRequired).not.toHaveBeenCalled()
    expect(auth.getTokens()).toEqual({ accessToken: 'old', refreshToken: 'r1' })
    expect(auth.status).toBe('authenticated')

    server.use(http.post(TOKEN_URL, () => HttpResponse.json({ access_token: 'new', refresh_token: 'r2' })))
    await expect(client.get('/again')).resolves.toMatchObject({ status: 200 })
    expect(refresh).toHaveBeenCalledTimes(2)
  })
})
