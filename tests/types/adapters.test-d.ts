import type { AuthClient, AuthSnapshot, SessionStatus, Tokens } from 'axios-reauth'
import { AuthProvider, useAuth as useReactAuth, useAuthClient } from 'axios-reauth/react'
import { authPlugin, loginRedirect, returnTo, useAuth as useVueAuth } from 'axios-reauth/vue'
import { describe, expectTypeOf, it } from 'vitest'
import { createApp, type ComputedRef } from 'vue'

declare const auth: AuthClient

describe('axios-reauth/react', () => {
  it('returns the snapshot fields and actions from useAuth', () => {
    const result = useReactAuth()
    expectTypeOf(result).toExtend<AuthSnapshot>()
    expectTypeOf(result.status).toEqualTypeOf<SessionStatus>()
    expectTypeOf(result.logout).toEqualTypeOf<() => void>()
    expectTypeOf(result.refresh).toEqualTypeOf<() => Promise<Tokens>>()
    expectTypeOf(result.client).toEqualTypeOf<AuthClient>()
    expectTypeOf(useAuthClient()).toEqualTypeOf<AuthClient>()
  })

  it('requires a client on AuthProvider', () => {
    expectTypeOf(AuthProvider).parameter(0).toHaveProperty('client').toEqualTypeOf<AuthClient>()
    // @ts-expect-error the client is required
    AuthProvider({})
  })
})

describe('axios-reauth/vue', () => {
  it('returns read-only refs from useAuth', () => {
    const { status, claims, refresh } = useVueAuth()
    expectTypeOf(status).toEqualTypeOf<ComputedRef<SessionStatus>>()
    expectTypeOf(claims.value).toEqualTypeOf<AuthSnapshot['claims']>()
    expectTypeOf(refresh).toEqualTypeOf<() => Promise<Tokens>>()
    // @ts-expect-error the refs are read-only
    status.value = 'authenticated'
  })

  it('installs with a client or with options', () => {
    createApp({}).use(authPlugin, auth)
    createApp({}).use(authPlugin, { client: auth, expiringWithinMs: 30_000 })
    // @ts-expect-error expiringWithinMs is a number
    createApp({}).use(authPlugin, { client: auth, expiringWithinMs: '30s' })
  })

  it('accepts a router structurally and gives back an onLoginRequired callback', () => {
    const router = { currentRoute: { value: { fullPath: '/' } }, push: (to: { path: string }) => Promise.resolve(to) }
    expectTypeOf(loginRedirect(router)).toEqualTypeOf<() => void>()
    expectTypeOf(returnTo({ query: { returnTo: ['/a', null] } })).toEqualTypeOf<string>()
  })
})
