import axios from 'axios'
import { ConfigurationError, createAuthClient, LoginRequiredError, type Diagnosis } from 'axios-reauth'
import { diagnose } from 'axios-reauth/diagnose'
import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { API } from '../helpers/api'
import { fakeJwt } from '../helpers/jwt'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0)
const epoch = (offsetSeconds: number) => Math.floor(NOW / 1000) + offsetSeconds

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(NOW)
})
afterEach(() => {
  vi.useRealTimers()
})

/** Answers 401 with `headers`; the client never refreshes, so the first 401 is what we diagnose. */
async function diagnosisOf(token: string | undefined, headers: Record<string, string> = {}, config: Record<string, unknown> = {}) {
  server.use(http.all('*', () => new HttpResponse(null, { status: 401, headers })))
  const auth = createAuthClient({
    refresh: async () => Promise.reject(new Error('unused')),
    tokens: token ? { accessToken: token } : undefined,
    shouldRefresh: () => false,
    diagnose,
  })
  const diagnoses: Diagnosis[] = []
  auth.on('diagnosis', (d) => diagnoses.push(d))
  const api = axios.create({ baseURL: API })
  auth.attach(api)
  const error = await api.get('/x', config).catch((e: unknown) => e)
  return { auth, error, result: auth.diagnose(error), diagnoses }
}

describe('diagnose()', () => {
  it('says the token expired, how long ago, in server time', async () => {
    const { result } = await diagnosisOf(fakeJwt({ exp: epoch(-90) }))
    expect(result.code).toBe('token-expired')
    expect(result.message).toMatch(/expired 90 s ago \(server time\)/)
  })

  it('says the token is not valid yet when nbf is in the future', async () => {
    const { result } = await diagnosisOf(fakeJwt({ exp: epoch(600), nbf: epoch(120) }))
    expect(result).toMatchObject({ code: 'token-not-yet-valid' })
    expect(result.message).toMatch(/another 120 s/)
  })

  it('reports clock skew beyond the leeway', async () => {
    const { result } = await diagnosisOf(fakeJwt({ exp: epoch(3600) }), { Date: new Date(NOW + 10 * 60_000).toUTCString() })
    expect(result.code).toBe('clock-skew')
    expect(result.message).toMatch(/60[01] s behind the server's/)
  })

  it('names the audience and issuer of a valid-looking token the server rejected', async () => {
    const { result } = await diagnosisOf(fakeJwt({ exp: epoch(600), aud: 'other-api', iss: 'https://id.test' }), { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
    expect(result.code).toBe('invalid-token')
    expect(result.message).toMatch(/audience "other-api" and issuer "https:\/\/id.test"/)
  })

  it('says the server challenges another scheme', async () => {
    const { result } = await diagnosisOf(fakeJwt({ exp: epoch(600) }), { 'WWW-Authenticate': 'Basic realm="intranet"' })
    expect(result).toMatchObject({ code: 'scheme-mismatch' })
    expect(result.message).toMatch(/asks for Basic credentials, but the request sent Bearer/)
  })

  it('explains insufficient_scope as a permission problem', async () => {
    const { result } = await diagnosisOf(fakeJwt({ exp: epoch(600) }), { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="admin"' })
    expect(result).toMatchObject({ code: 'insufficient-scope' })
    expect(result.hint).toMatch(/A new token will not fix this/)
  })

  it.each([
    ['there is no token', undefined, {}, /had no access token/],
    ['the request used skipAuth', fakeJwt({ exp: epoch(600) }), { skipAuth: true }, /skipAuth: true/],
    ['the origin is not allowed', fakeJwt({ exp: epoch(600) }), { baseURL: 'https://elsewhere.test' }, /origin is not allowed/],
  ])('reports a missing Authorization header when %s', async (_, token, config, why) => {
    const { result } = await diagnosisOf(token, {}, config)
    expect(result.code).toBe('missing-authorization')
    expect(result.message).toMatch(why)
  })

  it('reports a custom Authorization header that replaced the token', async () => {
    const { result } = await diagnosisOf(undefined, {}, { headers: { Authorization: 'Basic dXNlcjpwYXNz' } })
    expect(result.code).toBe('missing-authorization')
    expect(result.message).toMatch(/a custom header replaced it/)
  })

  it('reports a hidden challenge for a cross-origin 401 in a browser', async () => {
    vi.stubGlobal('location', { origin: 'https://app.test', href: 'https://app.test/' })
    const { result } = await diagnosisOf(fakeJwt({ exp: epoch(600) }))
    expect(result.code).toBe('challenge-hidden')
    expect(result.hint).toMatch(/Access-Control-Expose-Headers: WWW-Authenticate/)
  })

  it('recognises a 407 from a proxy', async () => {
    server.use(http.get(`${API}/x`, () => new HttpResponse(null, { status: 407 })))
    const error = await axios.get(`${API}/x`).catch((e: unknown) => e)
    expect(diagnose(error).code).toBe('proxy-auth')
  })

  it('recognises a session ended by the token endpoint', () => {
    expect(diagnose(new LoginRequiredError('refresh-rejected')).code).toBe('refresh-rejected')
  })

  it('answers unknown for anything that is not an HTTP error, without throwing', () => {
    expect(diagnose(new Error('boom')).code).toBe('unknown')
    expect(diagnose(undefined).code).toBe('unknown')
  })

  it('never shows more than the last 4 characters of a token', async () => {
    const token = fakeJwt({ exp: epoch(600), aud: 'x' })
    const { result } = await diagnosisOf(token)
    expect(JSON.stringify(result)).not.toContain(token.slice(0, -4))
    expect(result.message).toContain(`…${token.slice(-4)}`)
  })

  it('emits a diagnosis event for every 401 on an attached instance', async () => {
    const { diagnoses } = await diagnosisOf(fakeJwt({ exp: epoch(-5) }))
    expect(diagnoses.map((d) => d.code)).toEqual(['token-expired'])
  })

  it('logs each diagnosis with debug: true, tokens redacted', async () => {
    const token = fakeJwt({ exp: epoch(-5), sub: 'someone' })
    server.use(http.all('*', () => new HttpResponse(null, { status: 401 })))
    const logger = { debug: vi.fn(), warn: vi.fn() }
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'n' }), tokens: { accessToken: token }, debug: true, diagnose, logger })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    await api.get('/x').catch(() => undefined)
    expect(logger.debug).toHaveBeenCalledWith(expect.stringMatching(/^\[axios-reauth\] 401 GET \/x: token-expired\./))
    expect(JSON.stringify(logger.debug.mock.calls)).not.toContain(token)
  })
})

describe('credentials in what the library emits', () => {
  const RAW_KEY = 'sk_live_4f9a2c7e1b8d6f3a0e5c'

  /** Everything a 401 makes the library say: the diagnosis, its event, the debug log. */
  async function emittedFor(authorization: string, challenge?: string) {
    server.use(http.all('*', () => new HttpResponse(null, { status: 401, headers: challenge ? { 'WWW-Authenticate': challenge } : {} })))
    const logger = { debug: vi.fn(), warn: vi.fn() }
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'n' }), debug: true, diagnose, logger })
    const events: Diagnosis[] = []
    auth.on('diagnosis', (diagnosis) => events.push(diagnosis))
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    const error = await api.get('/x', { headers: { Authorization: authorization } }).catch((e: unknown) => e)
    return JSON.stringify([auth.diagnose(error), diagnose(error), events, logger.debug.mock.calls, logger.warn.mock.calls])
  }

  it('never prints a credential sent without a scheme (a raw API key)', async () => {
    const emitted = await emittedFor(RAW_KEY)
    expect(emitted).not.toContain(RAW_KEY.slice(0, -4))
    expect(emitted).toContain(`…${RAW_KEY.slice(-4)}`)
  })

  it('never prints a raw API key when the server challenges another scheme', async () => {
    const emitted = await emittedFor(RAW_KEY, 'Bearer realm="api"')
    expect(emitted).not.toContain(RAW_KEY.slice(0, -4))
  })

  it('names a custom scheme but never prints its credential', async () => {
    const emitted = await emittedFor(`ApiKey ${RAW_KEY}`)
    expect(emitted).toContain('ApiKey')
    expect(emitted).not.toContain(RAW_KEY.slice(0, -4))
  })

  it('never prints a token the app put in the query string', async () => {
    server.use(http.all('*', () => new HttpResponse(null, { status: 401 })))
    const logger = { debug: vi.fn(), warn: vi.fn() }
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'n' }), tokens: { accessToken: 'a'.repeat(20) }, shouldRefresh: () => false, debug: true, diagnose, logger })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    await api.get(`/x?access_token=${RAW_KEY}`).catch(() => undefined)
    expect(logger.debug).toHaveBeenCalledTimes(1)
    expect(JSON.stringify(logger.debug.mock.calls)).not.toContain(RAW_KEY.slice(0, -4))
  })

  it('serialises its errors without the request they came from', async () => {
    server.use(http.all('*', () => new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })))
    const auth = createAuthClient({ refresh: async () => Promise.reject(Object.assign(new Error('bad'), { response: { status: 400 } })), tokens: { accessToken: RAW_KEY, refreshToken: 'r'.repeat(20) }, diagnose })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    const error = await api.get('/x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LoginRequiredError)
    const json = JSON.stringify(error)
    expect(JSON.parse(json)).toMatchObject({ name: 'LoginRequiredError', code: 'login-required', reason: 'refresh-rejected' })
    expect(json).not.toContain(RAW_KEY.slice(0, -4))
    expect(json).not.toContain('r'.repeat(16))
  })
})

describe('diagnose as an opt-in import', () => {
  it('is not in the root entry, and a client without it says how to add it', () => {
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'n' }) })
    expect(() => auth.diagnose(new Error('boom'))).toThrow(ConfigurationError)
    expect(() => auth.diagnose(new Error('boom'))).toThrow(/import \{ diagnose \} from 'axios-reauth\/diagnose'/)
  })

  it('refuses debug: true without it, naming the import', () => {
    expect(() => createAuthClient({ refresh: async () => ({ accessToken: 'n' }), debug: true })).toThrow(/debug.*needs the diagnose option.*axios-reauth\/diagnose/)
  })

  it('emits no diagnosis event and decodes nothing for a client without it', async () => {
    server.use(http.all('*', () => new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })))
    const auth = createAuthClient({ refresh: async () => Promise.reject(new Error('unused')), tokens: { accessToken: fakeJwt({ exp: 1 }) }, shouldRefresh: () => false })
    const diagnoses: Diagnosis[] = []
    auth.on('diagnosis', (d) => diagnoses.push(d))
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    await api.get('/x').catch(() => {})
    expect(diagnoses).toEqual([])
  })
})
