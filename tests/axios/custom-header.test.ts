import axios, { type AxiosError } from 'axios'
import { ConfigurationError, createAuthClient, type AuthClientOptions } from 'axios-reauth'
import { diagnose } from 'axios-reauth/diagnose'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { API } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()
const OTHER = 'https://other.test'

/** Records, per origin, the X-Access-Token and Authorization headers each request arrived with. */
function recordAt(origin: string, seen: Array<{ token: string | null; authorization: string | null }>, status = 200) {
  return http.get(`${origin}/*`, ({ request }) => {
    seen.push({ token: request.headers.get('x-access-token'), authorization: request.headers.get('authorization') })
    return status === 200 ? HttpResponse.json({}) : new HttpResponse(null, { status })
  })
}

function setup(options: Partial<AuthClientOptions> = {}) {
  const refresh = vi.fn(async () => ({ accessToken: 'fresh-token', refreshToken: 'r2' }))
  const auth = createAuthClient({ refresh, tokens: { accessToken: 'secret-token', refreshToken: 'r1' }, header: 'X-Access-Token', scheme: null, diagnose, ...options })
  const api = axios.create({ baseURL: API })
  auth.attach(api)
  return { api, auth, refresh }
}

describe('a custom header and scheme', () => {
  it('sends X-Access-Token with the raw token to the API and no Authorization header', async () => {
    const seen: Array<{ token: string | null; authorization: string | null }> = []
    server.use(recordAt(API, seen))
    const { api } = setup()
    await api.get('/me')
    expect(seen).toEqual([{ token: 'secret-token', authorization: null }])
  })

  it('never sends X-Access-Token to an origin that is not allowed', async () => {
    const seen: Array<{ token: string | null; authorization: string | null }> = []
    server.use(recordAt(OTHER, seen))
    const { api } = setup()
    await api.get(`${OTHER}/pixel`)
    expect(seen).toEqual([{ token: null, authorization: null }])
  })

  it('writes the scheme before the token in the chosen header', async () => {
    const seen: string[] = []
    server.use(http.get(`${API}/*`, ({ request }) => (seen.push(request.headers.get('authorization') ?? ''), HttpResponse.json({}))))
    const { api } = setup({ header: undefined, scheme: 'Token' })
    await api.get('/me')
    expect(seen).toEqual(['Token secret-token'])
  })

  it('replays a 401 with the refreshed token in the custom header', async () => {
    const seen: Array<string | null> = []
    server.use(
      http.get(`${API}/*`, ({ request }) => {
        const token = request.headers.get('x-access-token')
        seen.push(token)
        return token === 'fresh-token' ? HttpResponse.json({}) : new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })
      }),
    )
    const { api, refresh } = setup()
    await api.get('/me')
    expect(seen).toEqual(['secret-token', 'fresh-token'])
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('strips X-Access-Token from a config re-sent to an origin that is not allowed', async () => {
    const atOther: Array<{ token: string | null; authorization: string | null }> = []
    server.use(http.get(`${API}/*`, () => new HttpResponse(null, { status: 503 })), recordAt(OTHER, atOther))
    const { api } = setup()
    const error = (await api.get('/data').catch((e: unknown) => e)) as AxiosError
    expect(error.config?.headers.get('X-Access-Token')).toBe('secret-token')
    await api.request({ ...error.config, baseURL: OTHER })
    expect(atOther).toEqual([{ token: null, authorization: null }])
  })

  it('strips X-Access-Token on a redirect to an origin that is not allowed', async () => {
    const atOther: Array<{ token: string | null; authorization: string | null }> = []
    server.use(http.get(`${API}/moved`, () => new HttpResponse(null, { status: 302, headers: { Location: `${OTHER}/file` } })), recordAt(OTHER, atOther))
    const { api } = setup()
    await api.get('/moved')
    expect(atOther).toEqual([{ token: null, authorization: null }])
  })

  it('keeps X-Access-Token on a redirect within the API origin', async () => {
    const seen: Array<{ token: string | null; authorization: string | null }> = []
    server.use(http.get(`${API}/moved`, () => new HttpResponse(null, { status: 302, headers: { Location: `${API}/v2/file` } })), recordAt(API, seen))
    const { api } = setup()
    await api.get('/moved')
    expect(seen).toEqual([{ token: 'secret-token', authorization: null }])
  })

  it('refuses a header that is no HTTP header name with invalid-option', () => {
    expect(() => setup({ header: 'X Access Token' })).toThrow(ConfigurationError)
    expect(() => setup({ header: '' })).toThrow(/^\[axios-reauth\] createAuthClient\(\) refused header \(a string\): it must be an HTTP header name/)
  })

  it('refuses a scheme that is no auth scheme with invalid-option', () => {
    expect(() => setup({ scheme: 'Bearer ' })).toThrow(/refused scheme \(a string\): it must be an auth scheme/)
    expect(() => setup({ scheme: 42 as never })).toThrow(ConfigurationError)
  })
})

describe('diagnose() with a custom header', () => {
  it('reads the token from X-Access-Token instead of calling it missing', async () => {
    server.use(http.get(`${API}/*`, () => new HttpResponse(null, { status: 401 })))
    const { api, auth } = setup()
    // The replay with the refreshed token is refused too: the error carries that request.
    const error = await api.get('/me').catch((e: unknown) => e)
    const diagnosis = auth.diagnose(error)
    expect(diagnosis.code).toBe('invalid-token')
    expect(diagnosis.message).toContain('…oken')
    expect(diagnosis.message).not.toContain('fresh-token')
  })

  it('names the custom header when the request carried none', async () => {
    server.use(http.get(`${OTHER}/*`, () => new HttpResponse(null, { status: 401 })))
    const { api, auth } = setup()
    const error = await api.get(`${OTHER}/me`).catch((e: unknown) => e)
    expect(auth.diagnose(error).message).toMatch(/^The request carried no X-Access-Token header/)
  })
})
