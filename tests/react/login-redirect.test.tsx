// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react'
import { createAuthClient, isReauthError, type RefreshResult } from 'axios-reauth'
import { loginRedirect, returnTo, type NavigateLike } from 'axios-reauth/react'
import { useEffect } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'

afterEach(() => {
  cleanup()
  window.history.replaceState(null, '', '/')
})

/** A client whose refresh the test rejects as the token endpoint would refuse it. */
function endingClient(onLoginRequired: () => void) {
  const pending = createDeferred<RefreshResult>()
  const auth = createAuthClient({ refresh: () => pending.promise, tokens: { accessToken: 'a1', refreshToken: 'r1' }, onLoginRequired })
  const endSession = async () => {
    const refreshed = Promise.allSettled([auth.refresh(), auth.refresh()])
    pending.reject({ response: { status: 400 } })
    await refreshed
  }
  return { auth, endSession }
}

describe('loginRedirect', () => {
  it('navigates to the login page with the browser path, query and hash as returnTo', () => {
    window.history.replaceState(null, '', '/orders/7?tab=items#total')
    const navigate = vi.fn((_path: string) => undefined)
    loginRedirect(navigate)()
    expect(navigate).toHaveBeenCalledWith('/login?returnTo=%2Forders%2F7%3Ftab%3Ditems%23total')
  })

  it('uses the login route, query name and current path it is given', () => {
    const navigate = vi.fn((_path: string) => undefined)
    loginRedirect(navigate, { loginRoute: '/sign-in', returnToQuery: 'next', currentPath: () => '/reports' })()
    expect(navigate).toHaveBeenCalledWith('/sign-in?next=%2Freports')
  })

  it('stays put when already on the login page', () => {
    window.history.replaceState(null, '', '/login?returnTo=%2Forders')
    const navigate = vi.fn((_path: string) => undefined)
    loginRedirect(navigate)()
    expect(navigate).not.toHaveBeenCalled()
  })

  it('redirects once when the token endpoint rejects the refresh token', async () => {
    window.history.replaceState(null, '', '/orders/7')
    const navigate = vi.fn((_path: string) => undefined)
    const { endSession } = endingClient(loginRedirect(navigate))
    await endSession()
    expect(navigate).toHaveBeenCalledTimes(1)
    expect(navigate).toHaveBeenCalledWith('/login?returnTo=%2Forders%2F7')
  })

  it('calls the navigate a getter returns, looked up when the session ends', async () => {
    // The client is made outside React; navigate only exists once a component hands it over.
    let navigate: NavigateLike | undefined
    const { endSession } = endingClient(loginRedirect(() => navigate))
    const routerNavigate = vi.fn((_path: string) => undefined)
    function KeepNavigate() {
      useEffect(() => {
        navigate = routerNavigate
      })
      return null
    }
    render(<KeepNavigate />)
    window.history.replaceState(null, '', '/settings')
    await endSession()
    expect(routerNavigate).toHaveBeenCalledTimes(1)
    expect(routerNavigate).toHaveBeenCalledWith('/login?returnTo=%2Fsettings')
  })

  it('throws a ConfigurationError when there is no location and no currentPath', () => {
    vi.stubGlobal('location', undefined)
    try {
      const error = (() => {
        try {
          loginRedirect(vi.fn())()
        } catch (thrown) {
          return thrown
        }
      })()
      expect(isReauthError(error) && error.code).toBe('invalid-option')
      expect((error as Error).message).toMatch(/^\[axios-reauth\] loginRedirect\(\) could not tell the current page/)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('returnTo', () => {
  it('reads the path from a query string or URLSearchParams', () => {
    expect(returnTo('?returnTo=%2Forders%2F7%3Ftab%3Ditems')).toBe('/orders/7?tab=items')
    expect(returnTo(new URLSearchParams({ next: '/orders' }), '/', 'next')).toBe('/orders')
  })

  it.each([
    ['a protocol-relative URL', '//evil.test'],
    ['an absolute URL', 'https://evil.test'],
    ['a backslash that browsers read as a slash', '/\\evil.test'],
    ['a javascript: URL', 'javascript:alert(1)'],
  ])('returns the fallback for %s', (_, value) => {
    expect(returnTo(new URLSearchParams({ returnTo: value }), '/home')).toBe('/home')
  })
})
