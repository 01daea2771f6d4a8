// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, renderHook, screen } from '@testing-library/react'
import { isReauthError, type Tokens } from 'axios-reauth'
import { AuthProvider, useAuth, useAuthClient } from 'axios-reauth/react'
import { StrictMode, useEffect, type ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setupClient, trackListeners } from '../helpers/adapter-setup'

afterEach(cleanup)

const setup = setupClient

function Status() {
  const { status } = useAuth()
  return <p data-testid="status">{status}</p>
}

function App() {
  const { status, logout } = useAuth()
  if (status === 'unauthenticated') return <a href="/login">Sign in</a>
  return (
    <button type="button" onClick={logout}>
      Sign out ({status})
    </button>
  )
}

const statusText = () => screen.getByTestId('status').textContent

describe('useAuth', () => {
  it('shows the session status', () => {
    const { auth } = setup()
    render(<AuthProvider client={auth}><Status /></AuthProvider>)
    expect(statusText()).toBe('authenticated')
  })

  it('shows refreshing while a refresh is in flight, then authenticated', async () => {
    const { auth, pending } = setup()
    render(<AuthProvider client={auth}><Status /></AuthProvider>)
    let refreshed!: Promise<Tokens>
    act(() => {
      refreshed = auth.refresh()
    })
    expect(statusText()).toBe('refreshing')
    await act(async () => {
      pending.resolve({ accessToken: 'a2', refreshToken: 'r2' })
      await refreshed
    })
    expect(statusText()).toBe('authenticated')
  })

  it('renders the login link once the token endpoint rejects the refresh token', async () => {
    const { auth, pending } = setup()
    render(<AuthProvider client={auth}><App /></AuthProvider>)
    await act(async () => {
      const refreshed = auth.refresh()
      pending.reject({ response: { status: 400 } })
      await refreshed.catch(() => {})
    })
    expect(screen.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/login')
  })

  it('signs out through logout', () => {
    const { auth } = setup()
    render(<AuthProvider client={auth}><App /></AuthProvider>)
    fireEvent.click(screen.getByRole('button', { name: /sign out/i }))
    expect(auth.getTokens()).toBeUndefined()
    expect(screen.getByRole('link', { name: 'Sign in' })).toBeTruthy()
  })

  it('refreshes through refresh, joining the refresh in flight', async () => {
    const { auth, pending, refresh } = setup()
    const wrapper = ({ children }: { children: ReactNode }) => <AuthProvider client={auth}>{children}</AuthProvider>
    const { result } = renderHook(() => useAuth(), { wrapper })
    let both!: Promise<Tokens[]>
    act(() => {
      both = Promise.all([result.current.refresh(), auth.refresh()])
    })
    await act(async () => {
      pending.resolve({ accessToken: 'a2', refreshToken: 'r2' })
      await both
    })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(result.current.status).toBe('authenticated')
  })

  it('gives the client it was provided', () => {
    const { auth } = setup()
    const wrapper = ({ children }: { children: ReactNode }) => <AuthProvider client={auth}>{children}</AuthProvider>
    const { result } = renderHook(() => ({ fromAuth: useAuth().client, fromClient: useAuthClient() }), { wrapper })
    expect(result.current.fromAuth).toBe(auth)
    expect(result.current.fromClient).toBe(auth)
  })

  it('keeps logout and refresh stable across re-renders', () => {
    const { auth } = setup()
    const wrapper = ({ children }: { children: ReactNode }) => <AuthProvider client={auth}>{children}</AuthProvider>
    const { result } = renderHook(() => useAuth(), { wrapper })
    const { logout, refresh } = result.current
    act(() => {
      void auth.refresh()
    })
    expect(result.current.status).toBe('refreshing')
    expect(result.current.logout).toBe(logout)
    expect(result.current.refresh).toBe(refresh)
  })

  it('throws invalid-option with a fix outside an AuthProvider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    let caught: unknown
    try {
      renderHook(() => useAuth())
    } catch (error) {
      caught = error
    }
    expect(isReauthError(caught) && caught.code).toBe('invalid-option')
    expect((caught as Error).message).toBe(
      '[axios-reauth] useAuth() needs an <AuthProvider client={auth}> above it: wrap your app in it.',
    )
  })
})

describe('AuthProvider under StrictMode', () => {
  it('runs one refresh when a component refreshes in a mount effect', async () => {
    const { auth, pending, refresh } = setup()
    function RefreshOnMount() {
      const { status, refresh: refreshNow } = useAuth()
      useEffect(() => {
        refreshNow().catch(() => {})
      }, [refreshNow])
      return <p data-testid="status">{status}</p>
    }
    render(<StrictMode><AuthProvider client={auth}><RefreshOnMount /></AuthProvider></StrictMode>)
    expect(statusText()).toBe('refreshing')
    await act(async () => {
      pending.resolve({ accessToken: 'a2', refreshToken: 'r2' })
      await auth.refresh()
    })
    expect(statusText()).toBe('authenticated')
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('never refreshes on its own, even with an expired token', () => {
    const { auth, refresh } = setup({ accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() - 1 })
    render(<StrictMode><AuthProvider client={auth}><Status /></AuthProvider></StrictMode>)
    expect(statusText()).toBe('authenticated')
    expect(refresh).not.toHaveBeenCalled()
  })
})

describe('unmounting', () => {
  it('releases every session listener when unmounted during a refresh, so its end updates nothing', async () => {
    const { auth, pending } = setup()
    const listeners = trackListeners(auth.session)
    const { unmount } = render(<StrictMode><AuthProvider client={auth}><Status /><App /></AuthProvider></StrictMode>)
    let refreshed!: Promise<Tokens>
    act(() => {
      refreshed = auth.refresh()
    })
    expect(listeners.active()).toBeGreaterThan(0)
    unmount()
    expect(listeners.subscribed()).toBeGreaterThan(0)
    expect(listeners.active()).toBe(0)
    pending.resolve({ accessToken: 'a2', refreshToken: 'r2' })
    await refreshed
    expect(auth.status).toBe('authenticated')
  })

  it('leaves no expiry timer behind', () => {
    vi.useFakeTimers()
    try {
      const { auth } = setup({ accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() + 600_000 })
      const { unmount } = render(<AuthProvider client={auth}><Status /></AuthProvider>)
      expect(vi.getTimerCount()).toBe(1)
      unmount()
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('isExpiring', () => {
  it('re-renders when the token comes within expiringWithinMs of expiry', () => {
    vi.useFakeTimers()
    try {
      const { auth } = setup({ accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() + 600_000 })
      function Expiry() {
        return <p data-testid="status">{useAuth().isExpiring ? 'expiring' : 'fresh'}</p>
      }
      render(<AuthProvider client={auth} expiringWithinMs={120_000}><Expiry /></AuthProvider>)
      expect(statusText()).toBe('fresh')
      act(() => {
        vi.advanceTimersByTime(480_000)
      })
      expect(statusText()).toBe('expiring')
    } finally {
      vi.useRealTimers()
    }
  })
})
