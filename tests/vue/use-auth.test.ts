// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { isReauthError } from 'axios-reauth'
import { authPlugin, useAuth } from 'axios-reauth/vue'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, effectScope, h, nextTick, ref } from 'vue'
import { setupClient, trackListeners } from '../helpers/adapter-setup'
import { fakeJwt } from '../helpers/jwt'

const setup = setupClient

const Status = defineComponent({
  setup() {
    const { status } = useAuth()
    return () => h('p', { 'data-testid': 'status' }, status.value)
  },
})

const App = defineComponent({
  setup() {
    const { status, logout } = useAuth()
    return () =>
      status.value === 'unauthenticated'
        ? h('a', { href: '/login' }, 'Sign in')
        : h('button', { type: 'button', onClick: logout }, `Sign out (${status.value})`)
  },
})

const statusOf = (wrapper: ReturnType<typeof mount>) => wrapper.get('[data-testid="status"]').text()

afterEach(() => {
  vi.useRealTimers()
})

describe('useAuth', () => {
  it('shows the session status', () => {
    const { auth } = setup()
    const wrapper = mount(Status, { global: { plugins: [[authPlugin, auth]] } })
    expect(statusOf(wrapper)).toBe('authenticated')
  })

  it('shows refreshing while a refresh is in flight, then authenticated', async () => {
    const { auth, pending } = setup()
    const wrapper = mount(Status, { global: { plugins: [[authPlugin, auth]] } })
    const refreshed = auth.refresh()
    await nextTick()
    expect(statusOf(wrapper)).toBe('refreshing')
    pending.resolve({ accessToken: 'a2', refreshToken: 'r2' })
    await refreshed
    await nextTick()
    expect(statusOf(wrapper)).toBe('authenticated')
  })

  it('renders the login link once the token endpoint rejects the refresh token', async () => {
    const { auth, pending } = setup()
    const wrapper = mount(App, { global: { plugins: [[authPlugin, auth]] } })
    const refreshed = auth.refresh()
    pending.reject({ response: { status: 400 } })
    await refreshed.catch(() => {})
    await nextTick()
    expect(wrapper.get('a').attributes('href')).toBe('/login')
  })

  it('signs out through logout', async () => {
    const { auth } = setup()
    const wrapper = mount(App, { global: { plugins: [[authPlugin, auth]] } })
    await wrapper.get('button').trigger('click')
    expect(auth.getTokens()).toBeUndefined()
    expect(wrapper.get('a').text()).toBe('Sign in')
  })

  it('exposes every snapshot field as a ref', () => {
    const { auth } = setup({ accessToken: fakeJwt({ sub: 'ada' }), refreshToken: 'r1', expiresAt: Date.now() + 600_000 })
    let result!: ReturnType<typeof useAuth>
    mount(defineComponent({ setup: () => ((result = useAuth()), () => null) }), { global: { plugins: [[authPlugin, auth]] } })
    expect(result.status.value).toBe('authenticated')
    expect(result.isRefreshing.value).toBe(false)
    expect(result.isAuthenticated.value).toBe(true)
    expect(result.claims.value).toEqual({ sub: 'ada' })
    expect(result.expiresAt.value).toBe(auth.session.expiresAt)
    expect(result.isExpiring.value).toBe(false)
    expect(result.lastDiagnosis.value).toBeUndefined()
    expect(result.snapshot.value.status).toBe('authenticated')
    expect(result.client).toBe(auth)
  })

  it('refreshes through refresh, joining the refresh in flight', async () => {
    const { auth, pending, refresh } = setup()
    let result!: ReturnType<typeof useAuth>
    mount(defineComponent({ setup: () => ((result = useAuth()), () => null) }), { global: { plugins: [[authPlugin, auth]] } })
    const both = Promise.all([result.refresh(), auth.refresh()])
    pending.resolve({ accessToken: 'a2', refreshToken: 'r2' })
    await both
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(result.status.value).toBe('authenticated')
  })

  it('flips isExpiring when the token comes within expiringWithinMs of expiry', async () => {
    vi.useFakeTimers()
    const { auth } = setup({ accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() + 600_000 })
    const Expiry = defineComponent({
      setup() {
        const { isExpiring } = useAuth()
        return () => h('p', { 'data-testid': 'status' }, isExpiring.value ? 'expiring' : 'fresh')
      },
    })
    const wrapper = mount(Expiry, { global: { plugins: [[authPlugin, { client: auth, expiringWithinMs: 120_000 }]] } })
    expect(statusOf(wrapper)).toBe('fresh')
    vi.advanceTimersByTime(480_000)
    await nextTick()
    expect(statusOf(wrapper)).toBe('expiring')
  })

  it('throws invalid-option with a fix in an app without the plugin', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    let caught: unknown
    try {
      mount(Status)
    } catch (error) {
      caught = error
    }
    expect(isReauthError(caught) && caught.code).toBe('invalid-option')
    expect((caught as Error).message).toMatch(/useAuth\(\) needs authPlugin installed on the app.*app\.use\(authPlugin, auth\)/)
  })

  it('throws invalid-option outside setup()', () => {
    expect(() => effectScope().run(() => useAuth())).toThrow(/useAuth\(\) needs authPlugin/)
  })
})

describe('authPlugin', () => {
  it('throws invalid-option when given something that is not a client', () => {
    const app = createApp({ render: () => null })
    expect(() => app.use(authPlugin, { client: {} } as never)).toThrow(/needs the client from createAuthClient\(\)/)
  })

  it('never refreshes on its own, even with an expired token', () => {
    const { auth, refresh } = setup({ accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() - 1 })
    mount(Status, { global: { plugins: [[authPlugin, auth]] } })
    expect(refresh).not.toHaveBeenCalled()
  })
})

describe('unmounting', () => {
  it('releases every session listener when the app unmounts during a refresh', async () => {
    const { auth, pending } = setup()
    const listeners = trackListeners(auth.session)
    const wrapper = mount(App, { global: { plugins: [[authPlugin, auth]] } })
    const refreshed = auth.refresh()
    await nextTick()
    expect(listeners.active()).toBeGreaterThan(0)
    wrapper.unmount()
    expect(listeners.subscribed()).toBeGreaterThan(0)
    expect(listeners.active()).toBe(0)
    pending.resolve({ accessToken: 'a2', refreshToken: 'r2' })
    await refreshed
    expect(auth.status).toBe('authenticated')
  })

  it('releases the session listeners when the last reading component unmounts inside a live app', async () => {
    const { auth } = setup()
    const listeners = trackListeners(auth.session)
    const shown = ref(true)
    const Parent = defineComponent({ setup: () => () => h('div', shown.value ? [h(Status), h(App)] : []) })
    const wrapper = mount(Parent, { global: { plugins: [[authPlugin, auth]] } })
    expect(listeners.active()).toBeGreaterThan(0)
    shown.value = false
    await flushPromises()
    expect(listeners.active()).toBe(0)
    expect(wrapper.html()).toBe('<div></div>')
  })

  it('leaves no expiry timer behind', () => {
    vi.useFakeTimers()
    const { auth } = setup({ accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() + 600_000 })
    const wrapper = mount(Status, { global: { plugins: [[authPlugin, auth]] } })
    expect(vi.getTimerCount()).toBe(1)
    wrapper.unmount()
    expect(vi.getTimerCount()).toBe(0)
  })
})
