import { createAuthClient, type RefreshResult } from 'axios-reauth'
import { loginRedirect, returnTo } from 'axios-reauth/vue'
import { describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'

function fakeRouter(fullPath: string) {
  return { currentRoute: { value: { fullPath } }, push: vi.fn() }
}

describe('loginRedirect', () => {
  it('pushes the login route with the current full path as returnTo', () => {
    const router = fakeRouter('/orders/7?tab=items#total')
    loginRedirect(router)()
    expect(router.push).toHaveBeenCalledWith({ path: '/login', query: { returnTo: '/orders/7?tab=items#total' } })
  })

  it('uses the login route and query name it is given', () => {
    const router = fakeRouter('/orders/7')
    loginRedirect(router, { loginRoute: '/auth/sign-in', returnToQuery: 'next' })()
    expect(router.push).toHaveBeenCalledWith({ path: '/auth/sign-in', query: { next: '/orders/7' } })
  })

  it('stays put when already on the login route', () => {
    const router = fakeRouter('/login?returnTo=%2Forders')
    loginRedirect(router)()
    expect(router.push).not.toHaveBeenCalled()
  })

  it('reads the route at the time the session ends, not when created', () => {
    const router = fakeRouter('/')
    const onLoginRequired = loginRedirect(router)
    router.currentRoute.value = { fullPath: '/settings' }
    onLoginRequired()
    expect(router.push).toHaveBeenCalledWith({ path: '/login', query: { returnTo: '/settings' } })
  })

  it('redirects once when the token endpoint rejects the refresh token', async () => {
    const router = fakeRouter('/orders/7')
    const pending = createDeferred<RefreshResult>()
    const auth = createAuthClient({
      refresh: () => pending.promise,
      tokens: { accessToken: 'a1', refreshToken: 'r1' },
      onLoginRequired: loginRedirect(router),
    })
    const refreshed = Promise.allSettled([auth.refresh(), auth.refresh()])
    pending.reject({ response: { status: 400 } })
    await refreshed
    expect(router.push).toHaveBeenCalledTimes(1)
    expect(router.push).toHaveBeenCalledWith({ path: '/login', query: { returnTo: '/orders/7' } })
  })
})

describe('returnTo', () => {
  it('returns a path of this app', () => {
    expect(returnTo({ query: { returnTo: '/orders/7?tab=items#total' } })).toBe('/orders/7?tab=items#total')
  })

  it('reads the query name it is given', () => {
    expect(returnTo({ query: { next: '/orders' } }, '/', 'next')).toBe('/orders')
  })

  it('returns the fallback when there is no returnTo', () => {
    expect(returnTo({ query: {} }, '/home')).toBe('/home')
  })

  it('defaults the fallback to the root', () => {
    expect(returnTo({ query: {} })).toBe('/')
  })

  it.each([
    ['an absolute URL', 'https://evil.test/phish'],
    ['a protocol-relative URL', '//evil.test'],
    ['a backslash that browsers read as a slash', '/\\evil.test'],
    ['two backslashes', '\\\\evil.test'],
    ['a tab that browsers strip', '/\t/evil.test'],
    ['a newline that browsers strip', '/\n/evil.test'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a host without scheme', 'evil.test/phish'],
    ['a relative path', 'orders/7'],
    ['an empty string', ''],
  ])('returns the fallback for %s', (_, value) => {
    expect(returnTo({ query: { returnTo: value } }, '/home')).toBe('/home')
  })

  it('returns the fallback for a repeated query parameter', () => {
    expect(returnTo({ query: { returnTo: ['/a', '/b'] } }, '/home')).toBe('/home')
  })
})
