import axios from 'axios'
import { createAuthClient, type RefreshResult, type SessionStatus } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'
import { API, protectedApi } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()

function setup() {
  server.use(protectedApi(new Set(['new'])).handler)
  const pending = createDeferred<RefreshResult>()
  const called = createDeferred<void>()
  const refresh = () => {
    called.resolve()
    return pending.promise
  }
  const auth = createAuthClient({ refresh, tokens: { accessToken: 'old', refreshToken: 'r1' } })
  const api = axios.create({ baseURL: API })
  auth.attach(api)
  const log: string[] = []
  auth.on('status', (status) => log.push(`status:${status}`))
  auth.on('refresh:start', ({ attempt }) => log.push(`refresh:start#${attempt}`))
  auth.on('refresh:success', ({ attempt }) => log.push(`refresh:success#${attempt}`))
  auth.on('refresh:failure', ({ attempt, error }) => log.push(`refresh:failure#${attempt}:${error.code}`))
  auth.on('tokens', (tokens) => log.push(`tokens:${tokens?.accessToken ?? 'none'}`))
  auth.on('loginRequired', ({ reason }) => log.push(`loginRequired:${reason}`))
  return { auth, api, pending, log, called: called.promise }
}

describe('status and events', () => {
  it('reports authenticated, then refreshing, then authenticated around a refresh', async () => {
    const { auth, api, pending, log, called } = setup()
    expect(auth.status).toBe('authenticated')
    const request = api.get('/x')
    await called
    expect(auth.status).toBe<SessionStatus>('refreshing')
    pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await request
    expect(auth.status).toBe('authenticated')
    expect(log).toEqual(['refresh:start#1', 'status:refreshing', 'tokens:new', 'refresh:success#1', 'status:authenticated'])
  })

  it('reports the end of the session in order: failure, tokens cleared, login required, unauthenticated', async () => {
    const { auth, api, pending, log, called } = setup()
    const request = api.get('/x').catch(() => undefined)
    await called
    expect(auth.status).toBe('refreshing')
    pending.reject(Object.assign(new Error('rejected'), { response: { status: 400 } }))
    await request
    expect(log).toEqual([
      'refresh:start#1',
      'status:refreshing',
      'refresh:failure#1:login-required',
      'tokens:none',
      'loginRequired:refresh-rejected',
      'status:unauthenticated',
    ])
  })

  it('reports a replay refused while another refresh runs in the same order as every end', async () => {
    const replayArrived = createDeferred<void>()
    const replayAnswer = createDeferred<void>()
    server.use(
      http.get(`${API}/x`, async ({ request }) => {
        if (request.headers.get('authorization') === 'Bearer new') {
          replayArrived.resolve()
          await replayAnswer.promise
        }
        return new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })
      }),
    )
    const refreshes = [createDeferred<RefreshResult>(), createDeferred<RefreshResult>()]
    let calls = 0
    const auth = createAuthClient({ refresh: () => refreshes[calls++]!.promise, tokens: { accessToken: 'old', refreshToken: 'r1' } })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    const log: string[] = []
    auth.on('status', (status) => log.push(`status:${status}`))
    auth.on('refresh:failure', ({ attempt, error }) => log.push(`refresh:failure#${attempt}:${error.code}`))
    auth.on('tokens', (tokens) => log.push(`tokens:${tokens?.accessToken ?? 'none'}`))
    auth.on('loginRequired', ({ reason }) => log.push(`loginRequired:${reason}`))
    const request = api.get('/x').catch((error: unknown) => error)
    await new Promise<void>((resolve) => auth.on('refresh:start', () => resolve()))
    refreshes[0]!.resolve({ accessToken: 'new', refreshToken: 'r2' })
    await replayArrived.promise
    const second = auth.refresh().catch(() => undefined)
    log.length = 0
    replayAnswer.resolve()
    expect(await request).toMatchObject({ code: 'login-required', reason: 'token-revoked' })
    await second
    expect(log).toEqual(['refresh:failure#2:login-required', 'tokens:none', 'loginRequired:token-revoked', 'status:unauthenticated'])
  })

  it('closes a refresh abandoned for tokens set meanwhile with a superseded success', async () => {
    const { auth, log } = setup()
    const success = vi.fn()
    auth.on('refresh:success', success)
    const refreshing = auth.refresh()
    auth.setTokens({ accessToken: 'from-login', refreshToken: 'r9' })
    await expect(refreshing).resolves.toEqual({ accessToken: 'from-login', refreshToken: 'r9' })
    expect(success).toHaveBeenCalledWith({ attempt: 1, superseded: true })
    expect(log.filter((entry) => entry.startsWith('refresh:'))).toEqual(['refresh:start#1', 'refresh:success#1'])
  })

  it('closes a refresh abandoned by a sign-out with a failure', async () => {
    const { auth, log } = setup()
    const refreshing = auth.refresh().catch((error: unknown) => error)
    auth.clearTokens()
    expect(await refreshing).toMatchObject({ code: 'login-required', reason: 'signed-out' })
    expect(log.filter((entry) => entry.startsWith('refresh:'))).toEqual(['refresh:start#1', 'refresh:failure#1:login-required'])
  })

  it('stops calling a listener after it unsubscribes', () => {
    const { auth } = setup()
    const listener = vi.fn()
    const off = auth.on('tokens', listener)
    auth.setTokens({ accessToken: 'a' })
    off()
    auth.setTokens({ accessToken: 'b' })
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('keeps the session working when a listener throws', async () => {
    const { auth, api, pending, called } = setup()
    const errors: unknown[] = []
    const reported = createDeferred<void>()
    const onError = (error: unknown) => {
      errors.push(error)
      reported.resolve()
    }
    process.on('uncaughtException', onError)
    try {
      auth.on('refresh:start', () => {
        throw new Error('listener bug')
      })
      const request = api.get('/x')
      await called
      expect(auth.status).toBe('refreshing')
      pending.resolve({ accessToken: 'new', refreshToken: 'r2' })
      await expect(request).resolves.toMatchObject({ status: 200 })
      await reported.promise
      expect(errors).toEqual([expect.objectContaining({ message: 'listener bug' })])
    } finally {
      process.off('uncaughtException', onError)
    }
  })
})

it('reports unauthenticated when there are no tokens', () => {
  server.use(http.get(`${API}/x`, () => HttpResponse.json({})))
  expect(createAuthClient({ refresh: async () => ({ accessToken: 'a' }) }).status).toBe('unauthenticated')
})
