import { createAuthClient, isReauthError, readClaims } from 'axios-reauth'
import { fakeToken } from 'axios-reauth/testing'
import { describe, expect, it } from 'vitest'

const NOW = Date.UTC(2030, 0, 1)

describe('fakeToken', () => {
  it('writes iat at now and exp expiresIn seconds later, with the given claims', () => {
    const token = fakeToken({ expiresIn: 60, claims: { sub: 'ada', roles: ['admin'] }, now: NOW })
    expect(readClaims(token)).toEqual({ iat: NOW / 1000, exp: NOW / 1000 + 60, sub: 'ada', roles: ['admin'] })
  })

  it('lets an exp among the claims win over the computed one', () => {
    expect(readClaims(fakeToken({ claims: { exp: 42 }, now: NOW }))?.exp).toBe(42)
  })

  it('encodes claims outside Latin-1 as base64url UTF-8', () => {
    const token = fakeToken({ claims: { name: 'Zoë 🚀' }, now: NOW })
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.unsigned$/)
    expect(readClaims(token)?.name).toBe('Zoë 🚀')
  })

  it('gives a token the client reads as expired when expiresIn is negative', () => {
    const auth = createAuthClient({ refresh: async () => ({ accessToken: 'next' }), tokens: { accessToken: fakeToken({ expiresIn: -1 }) } })
    expect(auth.session.claims?.exp).toBeLessThan(Date.now() / 1000)
  })

  it('refuses an expiresIn that is not a finite number with a ConfigurationError', () => {
    const thrown = (() => {
      try {
        fakeToken({ expiresIn: Number.NaN })
      } catch (error) {
        return error
      }
    })()
    expect(isReauthError(thrown) && thrown.code).toBe('invalid-option')
    expect((thrown as Error).message).toMatch(/^\[axios-reauth\] fakeToken\(\) was given expiresIn NaN .*: pass finite numbers/)
  })

  it('refuses claims that are not an object', () => {
    expect(() => fakeToken({ claims: 'sub' as never })).toThrow(/claims of type string: pass an object/)
  })
})
