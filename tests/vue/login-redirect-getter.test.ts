// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { createAuthClient, isReauthError, type RefreshResult } from 'axios-reauth'
import { authPlugin, loginRedirect, type RouterLike } from 'axios-reauth/vue'
import { describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, h } from 'vue'
import { createDeferred } from '../../src/core/support/deferred'

function fakeRouter(fullPath: string) {
  return { currentRoute: { value: { fullPath } }, push: vi.fn() }
}

/** A client whose refresh the test rejects as the token endpoint would refuse it. */
function endingClient(onLoginRequired?: () => void) {
  const pending = createDeferred<RefreshResult>()
  const auth = createAuthClient({ refresh: () => pending.promise, tokens: { accessToken: 'a1', refreshToken: 'r1' }, onLoginRequired })
  const endSession = async () => {
    const refreshed = auth.refresh().catch(() => undefined)
    pending.reject({ response: { status: 400 } })
    await refreshed
  }
  return { auth, endSession }
}

/**
 * The layout of an app whose views import the api module: the api module runs first and
 * creates the client while `router` is still in its temporal dead zone.
 */
function appModules() {
  const api = endingClient(loginRedirect(() => router))
  // eslint-disable-next-line prefer-const -- assigned after the api module, as module order makes it.
  let router: ReturnType<typeof fakeRouter>
  router = fakeRouter('/orders/7')
  return { ...api, router }
}

describe('loginRedirect with a router getter', () => {
  it('creates the client before the router exists and redirects once the session ends', async () => {
    const { endSession, router } = appModules()
    await endSession()
    expect(router.push).toHaveBeenCalledTimes(1)
    expect(router.push).toHaveBeenCalledWith({ path: '/login', query: { returnTo: '/orders/7' } })
  })

  it('reads the router the getter returns at the time the session ends', () => {
    let router: RouterLike = fakeRouter('/a')
    const onLoginRequired = loginRedirect(() => router)
    const later = fakeRouter('/b')
    router = later
    onLoginRequired()
    expect(later.push).toHaveBeenCalledWith({ path: '/login', query: { returnTo: '/b' } })
  })

  it('throws a ConfigurationError with the cause when the router is read before it is created', () => {
    const onLoginRequired = loginRedirect(() => router)
    let error: unknown
    try {
      onLoginRequired()
    } catch (thrown) {
      error = thrown
    }
    // eslint-disable-next-line prefer-const -- declared late on purpose: the getter runs in its dead zone.
    let router = fakeRouter('/')
    expect(isReauthError(error) && error.code).toBe('invalid-option')
    expect((error as Error).message).toMatch(/^\[axios-reauth\] loginRedirect\(\(\) => router\) could not read the router/)
    expect((error as Error).cause).toBeInstanceOf(ReferenceError)
    expect(router.push).not.toHaveBeenCalled()
  })

  it('throws a ConfigurationError when the getter returns nothing', () => {
    const onLoginRequired = loginRedirect(() => undefined)
    expect(onLoginRequired).toThrow(/found no router/)
  })
})

describe('authPlugin with a router', () => {
  it('sends the user to the login page once the session ends', async () => {
    const { auth, endSession } = endingClient()
    const router = fakeRouter('/orders/7?tab=items')
    mount(defineComponent({ render: () => h('p') }), { global: { plugins: [[authPlugin, { client: auth, router }]] } })
    await endSession()
    expect(router.push).toHaveBeenCalledTimes(1)
    expect(router.push).toHaveBeenCalledWith({ path: '/login', query: { returnTo: '/orders/7?tab=items' } })
  })

  it('uses the login route and query name it is given', async () => {
    const { auth, endSession } = endingClient()
    const router = fakeRouter('/orders')
    const app = createApp({ render: () => null })
    app.use(authPlugin, { client: auth, router, loginRedirect: { loginRoute: '/sign-in', returnToQuery: 'next' } })
    await endSession()
    expect(router.push).toHaveBeenCalledWith({ path: '/sign-in', query: { next: '/orders' } })
  })

  it('stops redirecting once the app is unmounted', async () => {
    const { auth, endSession } = endingClient()
    const router = fakeRouter('/orders')
    const app = createApp({ render: () => null })
    app.use(authPlugin, { client: auth, router })
    app.mount(document.createElement('div'))
    app.unmount()
    await endSession()
    await flushPromises()
    expect(router.push).not.toHaveBeenCalled()
  })

  it('refuses a router without push', () => {
    const { auth } = endingClient()
    const app = createApp({ render: () => null })
    expect(() => app.use(authPlugin, { client: auth, router: {} as RouterLike })).toThrow(/needs a vue-router for router/)
  })
})
