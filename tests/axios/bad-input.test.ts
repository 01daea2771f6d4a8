import axios from 'axios'
import { ConfigurationError, createAuthClient, isReauthError } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { API } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()

describe('bad input gets an error that names the fix', () => {
  it('refuses a client without a refresh function', () => {
    expect(() => createAuthClient({} as never)).toThrow(ConfigurationError)
    expect(() => createAuthClient({} as never)).toThrow(/needs a refresh function \(got undefined\): pass refresh: async/)
  })

  it.each([
    ['undefined', undefined],
    ['a plain object', { get: () => undefined }],
    ['a fetch function', fetch],
  ])('refuses to attach to %s', (_, target) => {
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'a' }) })
    expect(() => auth.attach(target)).toThrow(/attach\(\) needs an axios instance .*: pass the result of axios.create\(\)/)
  })

  it('accepts the default axios export', () => {
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'a' }) })
    const detach = auth.attach(axios)
    detach()
  })

  it.each([
    ['a number', { accessToken: 42 }, /no accessToken string \(got number\)/],
    ['an empty string', { accessToken: '' }, /no accessToken string/],
    ['a non-string refresh token', { accessToken: 'a', refreshToken: 7 }, /refreshToken that is not a non-empty string \(got number\)/],
    ['null', null, /setTokens\(\) was given null/],
  ])('refuses %s as tokens', (_, tokens, message) => {
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'a' }) })
    expect(() => auth.setTokens(tokens as never)).toThrow(message)
    expect(() => createAuthClient({ refresh: async () => ({ accessToken: 'a' }), tokens: tokens as never })).toThrow(message)
  })

  it('rejects waiting requests with a typed error and keeps the session when refresh resolves without an accessToken', async () => {
    server.use(http.get(`${API}/x`, () => new HttpResponse(null, { status: 401 })))
    const onLoginRequired = () => {
      throw new Error('must not be called')
    }
    const auth = createAuthClient({
      refresh: async () => ({ access_token: 'snake_case' }) as never,
      tokens: { accessToken: 'old', refreshToken: 'r1' },
      onLoginRequired,
    })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    const error = await api.get('/x').catch((e: unknown) => e)
    expect(isReauthError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'invalid-refresh-result' })
    expect(String(error)).toMatch(/map your token endpoint's field, e.g. \{ accessToken: data.access_token \}/)
    expect(auth.getTokens()).toEqual({ accessToken: 'old', refreshToken: 'r1' })
  })

  it('prefixes every message and keeps tokens out of it', () => {
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'a' }) })
    try {
      auth.setTokens({ accessToken: 'super-secret-token', refreshToken: 123 as never })
      expect.unreachable()
    } catch (error) {
      expect((error as Error).message).toMatch(/^\[axios-reauth\] /)
      expect((error as Error).message).not.toContain('super-secret-token')
    }
  })
})
