import axios, { AxiosError } from 'axios'
import { createAuthClient, InsufficientScopeError, isReauthError, StepUpRequiredError } from 'axios-reauth'
import { diagnose } from 'axios-reauth/diagnose'
import { dpop, type DpopProofRequest } from 'axios-reauth/dpop'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { API, bearerOf } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()

/** First answer: `status` with `headers`; every later answer to the new token: 200. */
function answerOnce(status: number, headers: Record<string, string> = {}, body: Record<string, unknown> | null = null) {
  const seen: Array<string | undefined> = []
  server.use(
    http.all(`${API}/*`, ({ request }) => {
      seen.push(bearerOf(request))
      if (bearerOf(request) === 'new') return HttpResponse.json({ ok: true })
      return HttpResponse.json(body, { status, headers })
    }),
  )
  return seen
}

function setup(options: Partial<Parameters<typeof createAuthClient>[0]> = {}) {
  const refresh = vi.fn(async () => ({ accessToken: 'new', refreshToken: 'r2' }))
  const auth = createAuthClient({ refresh, tokens: { accessToken: 'old', refreshToken: 'r1' }, diagnose, ...options })
  const api = axios.create({ baseURL: API })
  auth.attach(api)
  return { auth, api, refresh }
}

const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('the request succeeded'), (error: unknown) => error)

describe('what the challenge says', () => {
  it.each([
    ['no WWW-Authenticate at all', {}],
    ['a Bearer challenge without error', { 'WWW-Authenticate': 'Bearer realm="api"' }],
    ['error="invalid_token"', { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token", error_description="expired"' }],
    ['a lower-case scheme among others', { 'WWW-Authenticate': 'Basic realm="x", bearer error="invalid_token"' }],
  ])('refreshes and replays on %s', async (_, headers) => {
    const seen = answerOnce(401, headers)
    const { api, refresh } = setup()
    await expect(api.get('/x')).resolves.toMatchObject({ status: 200 })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(seen).toEqual(['old', 'new'])
  })

  it('rejects insufficient_scope with InsufficientScopeError and emits forbidden, without refreshing', async () => {
    answerOnce(401, { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="items:write admin"' })
    const { api, auth, refresh } = setup()
    const forbidden = vi.fn()
    auth.on('forbidden', forbidden)
    const error = await failure(api.post('/items', {}))
    expect(error).toBeInstanceOf(InsufficientScopeError)
    expect(error).toMatchObject({ code: 'insufficient-scope', scope: 'items:write admin' })
    expect(axios.isAxiosError((error as Error).cause)).toBe(true)
    expect(forbidden).toHaveBeenCalledWith({ scope: 'items:write admin', error })
    expect(refresh).not.toHaveBeenCalled()
  })

  it('rejects a step-up challenge with StepUpRequiredError carrying acr_values and max_age', async () => {
    answerOnce(401, { 'WWW-Authenticate': 'Bearer error="insufficient_user_authentication", error_description="MFA", acr_values="urn:mfa phr", max_age="300"' })
    const { api, refresh } = setup()
    const error = await failure(api.get('/payments'))
    expect(error).toBeInstanceOf(StepUpRequiredError)
    expect(error).toMatchObject({ code: 'step-up-required', acrValues: 'urn:mfa phr', maxAge: 300 })
    expect(refresh).not.toHaveBeenCalled()
  })

  it.each([
    ['error="invalid_request"', 'Bearer error="invalid_request"'],
    ['only a Basic challenge', 'Basic realm="intranet"'],
    ['only a Negotiate challenge', 'Negotiate'],
  ])('passes the original error through on %s, without refreshing', async (_, header) => {
    answerOnce(401, { 'WWW-Authenticate': header })
    const { api, refresh } = setup()
    const error = await failure(api.get('/x'))
    expect(error).toBeInstanceOf(AxiosError)
    expect((error as AxiosError).response?.status).toBe(401)
    expect(refresh).not.toHaveBeenCalled()
  })

  it('never treats 407 Proxy Authentication Required as a token problem', async () => {
    answerOnce(407, { 'Proxy-Authenticate': 'Basic realm="proxy"', 'WWW-Authenticate': 'Bearer error="invalid_token"' })
    const { api, refresh } = setup()
    const error = await failure(api.get('/x'))
    expect((error as AxiosError).response?.status).toBe(407)
    expect(refresh).not.toHaveBeenCalled()
  })
})

describe('per-request replay policy', () => {
  it('refreshes but does not replay a { replay: false } request, rejecting with replay-skipped', async () => {
    const seen = answerOnce(401)
    const { api, auth, refresh } = setup()
    const error = await failure(api.post('/payments', { amount: 10 }, { replay: false }))
    expect(isReauthError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'replay-skipped' })
    expect((error as Error).message).toMatch(/send it again if that is safe/)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(auth.getTokens()?.accessToken).toBe('new')
    expect(seen).toEqual(['old'])
  })
})

describe('shouldRefresh', () => {
  it('refreshes on a 403 whose body says the token expired', async () => {
    const seen = answerOnce(403, {}, { code: 'TOKEN_EXPIRED' })
    const shouldRefresh = (error: AxiosError) => (error.response?.data as { code?: string } | undefined)?.code === 'TOKEN_EXPIRED' || undefined
    const { api, refresh } = setup({ shouldRefresh })
    await expect(api.get('/x')).resolves.toMatchObject({ status: 200 })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(seen).toEqual(['old', 'new'])
  })

  it('refreshes on a GraphQL 200 that reports UNAUTHENTICATED', async () => {
    const seen: Array<string | undefined> = []
    server.use(
      http.post(`${API}/graphql`, ({ request }) => {
        seen.push(bearerOf(request))
        return bearerOf(request) === 'new'
          ? HttpResponse.json({ data: { me: { id: 1 } } })
          : HttpResponse.json({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] })
      }),
    )
    const shouldRefresh = (error: AxiosError) =>
      (error.response?.data as { errors?: Array<{ extensions?: { code?: string } }> })?.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')
    const { api, refresh } = setup({ shouldRefresh })
    const response = await api.post('/graphql', { query: '{ me { id } }' })
    expect(response.data).toEqual({ data: { me: { id: 1 } } })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(seen).toEqual(['old', 'new'])
  })

  it('leaves a 401 alone when shouldRefresh returns false', async () => {
    answerOnce(401)
    const { api, refresh } = setup({ shouldRefresh: () => false })
    expect(((await failure(api.get('/x'))) as AxiosError).response?.status).toBe(401)
    expect(refresh).not.toHaveBeenCalled()
  })
})

describe('DPoP nonce', () => {
  it('retries once with a fresh proof carrying the server nonce, without refreshing', async () => {
    const sent: Array<[string | null, string | null]> = []
    server.use(
      http.post(`${API}/dpop`, ({ request }) => {
        sent.push([request.headers.get('authorization'), request.headers.get('dpop')])
        if (request.headers.get('dpop') === 'proof-with-n1') return HttpResponse.json({ ok: true })
        return new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", error_description="nonce required"', 'DPoP-Nonce': 'n1' } })
      }),
    )
    const proof = vi.fn(async ({ nonce }: DpopProofRequest) => `proof-with-${nonce}`)
    const { api, refresh } = setup({ dpop: dpop({ proof }) })
    await expect(api.post('/dpop', { a: 1 })).resolves.toMatchObject({ status: 200 })
    expect(proof).toHaveBeenLastCalledWith({ method: 'POST', url: `${API}/dpop`, nonce: 'n1', accessToken: 'old' })
    expect(sent).toEqual([
      ['DPoP old', 'proof-with-undefined'],
      ['DPoP old', 'proof-with-n1'],
    ])
    expect(refresh).not.toHaveBeenCalled()
  })

  it('does not retry a second time when the server asks for another nonce again', async () => {
    let calls = 0
    server.use(
      http.get(`${API}/dpop`, () => {
        calls += 1
        return new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': `n${calls}` } })
      }),
    )
    const { api, refresh } = setup({ dpop: dpop({ proof: async ({ nonce }) => `p-${nonce}` }) })
    const error = await failure(api.get('/dpop'))
    expect(error).toMatchObject({ code: 'replay-skipped' })
    expect(((error as Error).cause as AxiosError).response?.status).toBe(401)
    expect(calls).toBe(2)
    expect(refresh).not.toHaveBeenCalled()
  })

  const NONCE_CHALLENGE = { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': 'n1' }
  const EXPIRED_CHALLENGE = { 'WWW-Authenticate': 'DPoP error="invalid_token"' }

  it('never sends a { replay: false } request again for a nonce', async () => {
    let sends = 0
    server.use(http.post(`${API}/pay`, () => (sends++, new HttpResponse(null, { status: 401, headers: NONCE_CHALLENGE }))))
    const proof = vi.fn(async () => 'p')
    const { api } = setup({ dpop: dpop({ proof }) })
    const error = await failure(api.post('/pay', { amount: 5 }, { replay: false }))
    expect(error).toMatchObject({ code: 'replay-skipped', message: expect.stringContaining('{ replay: false }') })
    expect(sends).toBe(1)
    expect(proof).toHaveBeenCalledTimes(1)
  })

  it('counts a nonce retry as the second send: a 401 after it refreshes but never sends a third time', async () => {
    const answers = [NONCE_CHALLENGE, EXPIRED_CHALLENGE]
    let sends = 0
    server.use(http.get(`${API}/dpop`, () => new HttpResponse(null, { status: 401, headers: answers[sends++] ?? {} })))
    const { api, auth, refresh } = setup({ dpop: dpop({ proof: async () => 'p' }) })
    const error = await failure(api.get('/dpop'))
    expect(error).toMatchObject({ code: 'replay-skipped', message: expect.stringContaining('not sent a third time') })
    expect(sends).toBe(2)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(auth.getTokens()?.accessToken).toBe('new')
  })

  it('counts a replay as the second send: a nonce challenge after it is not answered with a third', async () => {
    const answers = [EXPIRED_CHALLENGE, NONCE_CHALLENGE]
    let sends = 0
    server.use(http.get(`${API}/dpop`, () => new HttpResponse(null, { status: 401, headers: answers[sends++] ?? {} })))
    const proof = vi.fn(async () => 'p')
    const { api, refresh } = setup({ dpop: dpop({ proof }) })
    const error = await failure(api.get('/dpop'))
    expect(error).toMatchObject({ code: 'replay-skipped' })
    expect(sends).toBe(2)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(proof).toHaveBeenCalledTimes(2)
  })
})

describe('a 403 that names a missing scope (RFC 6750 3.1)', () => {
  // What express-oauth2-jwt-bearer answers for a valid token without the scope a route requires.
  const SCOPE_403 = { 'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope", error_description="Insufficient Scope", scope="api:admin"' }

  it('rejects with InsufficientScopeError, emits forbidden and never refreshes', async () => {
    answerOnce(403, SCOPE_403)
    const { api, auth, refresh } = setup()
    const forbidden = vi.fn()
    auth.on('forbidden', forbidden)
    const error = await failure(api.delete('/items/1'))
    expect(error).toBeInstanceOf(InsufficientScopeError)
    expect(error).toMatchObject({ code: 'insufficient-scope', scope: 'api:admin' })
    expect(axios.isAxiosError((error as Error).cause) && (error as { cause: AxiosError }).cause.response?.status).toBe(403)
    expect(forbidden).toHaveBeenCalledWith({ scope: 'api:admin', error })
    expect(refresh).not.toHaveBeenCalled()
  })

  it('is diagnosed as a missing scope', async () => {
    answerOnce(403, SCOPE_403)
    const { api, auth } = setup()
    const error = await failure(api.get('/admin'))
    expect(auth.diagnose(error)).toMatchObject({ code: 'insufficient-scope', message: expect.stringContaining('"api:admin"') })
    expect(auth.diagnose((error as Error).cause)).toMatchObject({ code: 'insufficient-scope' })
  })

  it('passes a 403 without such a challenge through untouched', async () => {
    answerOnce(403, { 'WWW-Authenticate': 'Bearer realm="api"' })
    const { api, refresh } = setup()
    const error = await failure(api.get('/x'))
    expect(axios.isAxiosError(error) && error.response?.status).toBe(403)
    expect(isReauthError(error)).toBe(false)
    expect(refresh).not.toHaveBeenCalled()
  })
})
