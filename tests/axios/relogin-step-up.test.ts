import axios, { CanceledError } from 'axios'
import { createAuthClient, StepUpRequiredError, type RefreshResult, type StepUpChallenge } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'
import { API, bearerOf } from '../helpers/api'
import { createManualClock } from '../helpers/manual-clock'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()

/**
 * An API where `/pay/*` wants a multi-factor sign-in (RFC 9470): the `basic` token gets the
 * step-up challenge, the `strong` one goes through; `/admin/*` wants a more recent one.
 */
function stepUpApi() {
  const calls: Array<{ path: string; token: string | undefined }> = []
  const challenge = (params: string) => new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': `Bearer error="insufficient_user_authentication", ${params}` } })
  server.use(
    http.all(`${API}/*`, ({ request }) => {
      const path = new URL(request.url).pathname
      const token = bearerOf(request)
      calls.push({ path, token })
      if (path.startsWith('/pay/') && token !== 'strong' && token !== 'recent') return challenge('acr_values="mfa"')
      if (path.startsWith('/admin/') && token !== 'recent') return challenge('max_age="60"')
      return HttpResponse.json({ path, token })
    }),
  )
  return { calls }
}

function setup(stepUp?: (challenge: StepUpChallenge) => Promise<RefreshResult>, clock?: ReturnType<typeof createManualClock>['clock']) {
  const api = stepUpApi()
  const refresh = vi.fn(async () => ({ accessToken: 'refreshed' }))
  const auth = createAuthClient({ refresh, stepUp, clock, reauthenticateTimeoutMs: 30_000, tokens: { accessToken: 'basic', refreshToken: 'r1' } })
  const client = axios.create({ baseURL: API })
  auth.attach(client)
  return { ...api, auth, client, refresh }
}

describe('step-up with the stepUp option', () => {
  it('runs stepUp once for concurrent requests with the same demand and replays them with the stepped-up token', async () => {
    const done = createDeferred<RefreshResult>()
    const asked = createDeferred<StepUpChallenge>()
    const stepUp = vi.fn((challenge: StepUpChallenge) => {
      asked.resolve(challenge)
      return done.promise
    })
    const { auth, calls, client, refresh } = setup(stepUp)
    const payments = [client.post('/pay/1', { amount: 5 }), client.post('/pay/2', { amount: 7 }), client.post('/pay/3', { amount: 9 })]
    const challenge = await asked.promise
    expect(challenge).toMatchObject({ acrValues: 'mfa', maxAge: undefined, cause: expect.any(StepUpRequiredError) })
    done.resolve({ accessToken: 'strong', refreshToken: 'r2' })
    const results = await Promise.all(payments)
    expect(results.map((result) => result.data)).toEqual([1, 2, 3].map((i) => ({ path: `/pay/${i}`, token: 'strong' })))
    expect(stepUp).toHaveBeenCalledTimes(1)
    expect(refresh).not.toHaveBeenCalled()
    expect(calls.filter((call) => call.token === 'basic')).toHaveLength(3)
    expect(auth.getTokens()).toEqual({ accessToken: 'strong', refreshToken: 'r2' })
  })

  it('runs one step-up per demand', async () => {
    const stepUp = vi.fn(async ({ maxAge }: StepUpChallenge) => ({ accessToken: maxAge === undefined ? 'strong' : 'recent' }))
    const { client } = setup(stepUp)
    const [pay, admin] = await Promise.all([client.get('/pay/1'), client.get('/admin/1')])
    expect(stepUp).toHaveBeenCalledTimes(2)
    expect(stepUp.mock.calls.map(([challenge]) => [challenge.acrValues, challenge.maxAge])).toEqual([
      ['mfa', undefined],
      [undefined, 60],
    ])
    expect(pay.data.path).toBe('/pay/1')
    expect(admin.data).toEqual({ path: '/admin/1', token: 'recent' })
  })

  it('rejects with StepUpRequiredError when the step-up fails, as without the option', async () => {
    const stepUp = vi.fn(() => Promise.reject(new Error('the user closed the prompt')))
    const { client, calls } = setup(stepUp)
    const error = await client.get('/pay/1').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StepUpRequiredError)
    expect(error).toMatchObject({ acrValues: 'mfa' })
    expect(calls).toHaveLength(1)
  })

  it('does not step up twice when the stepped-up token meets the challenge again', async () => {
    const stepUp = vi.fn(async () => ({ accessToken: 'still-basic' }))
    const { client, calls } = setup(stepUp)
    await expect(client.get('/pay/1')).rejects.toBeInstanceOf(StepUpRequiredError)
    expect(stepUp).toHaveBeenCalledTimes(1)
    expect(calls.map((call) => call.token)).toEqual(['basic', 'still-basic'])
  })

  it('rejects a request aborted during the step-up at once, and replays the others', async () => {
    const done = createDeferred<RefreshResult>()
    const asked = createDeferred<void>()
    const { client, calls } = setup(() => {
      asked.resolve()
      return done.promise
    })
    const controller = new AbortController()
    const aborted = client.get('/pay/aborted', { signal: controller.signal })
    const other = client.get('/pay/other')
    await asked.promise
    controller.abort()
    await expect(aborted).rejects.toBeInstanceOf(CanceledError)
    done.resolve({ accessToken: 'strong' })
    await expect(other).resolves.toMatchObject({ data: { token: 'strong' } })
    expect(calls.filter((call) => call.path === '/pay/aborted')).toHaveLength(1)
  })

  it('gives up at reauthenticateTimeoutMs, aborting the step-up signal', async () => {
    const manual = createManualClock()
    const asked = createDeferred<StepUpChallenge>()
    const { client } = setup((challenge) => {
      asked.resolve(challenge)
      return new Promise<never>(() => {})
    }, manual.clock)
    const request = client.get('/pay/1')
    const { signal } = await asked.promise
    await manual.advance(30_000)
    await expect(request).rejects.toBeInstanceOf(StepUpRequiredError)
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toMatchObject({ code: 'step-up-timeout' })
  })

  it('rejects a request waiting for the step-up as disposed when the client is disposed', async () => {
    const asked = createDeferred<StepUpChallenge>()
    const { auth, client } = setup((challenge) => {
      asked.resolve(challenge)
      return new Promise<never>(() => {})
    })
    const request = client.get('/pay/1')
    const { signal } = await asked.promise
    auth.dispose()
    await expect(request).rejects.toMatchObject({ code: 'disposed' })
    expect(signal.aborted).toBe(true)
  })

  it('never steps up a { replay: false } request: it still waits, then rejects with replay-skipped', async () => {
    const stepUp = vi.fn(async () => ({ accessToken: 'strong' }))
    const { client } = setup(stepUp)
    await expect(client.post('/pay/1', {}, { replay: false })).rejects.toMatchObject({ code: 'replay-skipped' })
  })
})

it('rejects with StepUpRequiredError without the stepUp option', async () => {
  const { client, calls } = setup()
  await expect(client.get('/pay/1')).rejects.toBeInstanceOf(StepUpRequiredError)
  expect(calls).toHaveLength(1)
})
