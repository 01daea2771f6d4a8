// Type contracts of the client API, checked by `tsc` (npm run typecheck), never executed.
import { createAuthClient, createAuthStore, type AccessTokenOptions, type AuthClient, type AuthSnapshot, type JwtClaims } from 'axios-reauth'
import { useAuth as useReactAuth } from 'axios-reauth/react'
import { useAuth as useVueAuth } from 'axios-reauth/vue'
import { describe, expectTypeOf, it } from 'vitest'

type MyClaims = { sub: string; roles: string[]; tenant?: string }
interface ExtendedClaims extends JwtClaims {
  org: string
}

declare const refresh: () => Promise<{ accessToken: string }>

describe('setTokens', () => {
  it('accepts expiresIn as the refresh result does', () => {
    const auth = createAuthClient({ refresh, tokens: { accessToken: 'a', refreshToken: 'r', expiresIn: 3600 } })
    auth.setTokens({ accessToken: 'a', refreshToken: 'r', expiresIn: 3600 })
    auth.session.setTokens({ accessToken: 'a', expiresIn: 60 })
    // @ts-expect-error expiresIn is a number of seconds
    auth.setTokens({ accessToken: 'a', expiresIn: '3600' })
  })
})

describe('typed claims', () => {
  it('types session.claims with the client’s claims type', () => {
    const auth = createAuthClient<MyClaims>({ refresh })
    expectTypeOf(auth).toEqualTypeOf<AuthClient<MyClaims>>()
    expectTypeOf(auth.session.claims).toEqualTypeOf<MyClaims | undefined>()
    expectTypeOf(createAuthClient<ExtendedClaims>({ refresh }).session.claims).toEqualTypeOf<ExtendedClaims | undefined>()
  })

  it('defaults the claims to JwtClaims', () => {
    expectTypeOf(createAuthClient({ refresh }).session.claims).toEqualTypeOf<JwtClaims | undefined>()
  })

  it('lets a client with typed claims go where a client is expected', () => {
    const typed = createAuthClient<MyClaims>({ refresh })
    expectTypeOf(typed).toExtend<AuthClient>()
    expectTypeOf(createAuthStore(typed).getSnapshot().claims).toEqualTypeOf<Readonly<MyClaims> | undefined>()
  })

  it('refuses claims that contradict the registered ones', () => {
    // @ts-expect-error sub is a string (RFC 7519)
    createAuthClient<{ sub: number }>({ refresh })
  })

  it('takes the claims type on the React and Vue useAuth', () => {
    expectTypeOf(useReactAuth<MyClaims>().claims).toEqualTypeOf<Readonly<MyClaims> | undefined>()
    expectTypeOf(useReactAuth<MyClaims>().client).toEqualTypeOf<AuthClient<MyClaims>>()
    expectTypeOf(useReactAuth().claims).toEqualTypeOf<AuthSnapshot['claims']>()
    expectTypeOf(useVueAuth<MyClaims>().claims.value).toEqualTypeOf<Readonly<MyClaims> | undefined>()
    expectTypeOf(useVueAuth<MyClaims>().snapshot.value.claims).toEqualTypeOf<Readonly<MyClaims> | undefined>()
  })
})

describe('getAccessToken', () => {
  it('resolves a string and takes minValidity in seconds', () => {
    const auth = createAuthClient({ refresh })
    expectTypeOf(auth.getAccessToken()).toEqualTypeOf<Promise<string>>()
    expectTypeOf(auth.getAccessToken).parameter(0).toEqualTypeOf<AccessTokenOptions | undefined>()
    void auth.getAccessToken({ minValidity: 60 })
    // @ts-expect-error minValidity is a number of seconds
    void auth.getAccessToken({ minValidity: '60s' })
  })
})
