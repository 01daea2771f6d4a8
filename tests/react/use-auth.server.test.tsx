import { createAuthClient, type Clock } from 'axios-reauth'
import { AuthProvider, useAuth } from 'axios-reauth/react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'

function Status() {
  const { status, claims } = useAuth()
  return <p>{`${status}:${String(claims?.sub ?? 'anonymous')}`}</p>
}

function serverClock() {
  return {
    now: () => Date.UTC(2030, 0, 1),
    setTimeout: vi.fn((): unknown => undefined),
    clearTimeout: vi.fn(),
  } satisfies Clock
}

describe('server rendering', () => {
  it('reads nothing from window while importing and rendering', async () => {
    const read: PropertyKey[] = []
    vi.stubGlobal('window', new Proxy({}, { get: (_, key) => void read.push(key), has: (_, key) => Boolean(read.push(key)) }))
    vi.resetModules()
    const adapter = await import('axios-reauth/react')
    const server = await import('react-dom/server')
    const { createAuthClient: create } = await import('axios-reauth')
    const auth = create({ refresh: vi.fn(), tokens: { accessToken: 'a1', refreshToken: 'r1' } })
    function Probe() {
      return <p>{adapter.useAuth().status}</p>
    }
    expect(server.renderToString(<adapter.AuthProvider client={auth}><Probe /></adapter.AuthProvider>)).toBe('<p>authenticated</p>')
    expect(read).toEqual([])
  })

  it('renders the status of the session with renderToString', () => {
    const auth = createAuthClient({ refresh: vi.fn(), tokens: { accessToken: 'a1', refreshToken: 'r1' } })
    const html = renderToString(<AuthProvider client={auth}><Status /></AuthProvider>)
    expect(html).toBe('<p>authenticated:anonymous</p>')
  })

  it('renders a signed-out session as unauthenticated', () => {
    const auth = createAuthClient({ refresh: vi.fn() })
    expect(renderToString(<AuthProvider client={auth}><Status /></AuthProvider>)).toBe('<p>unauthenticated:anonymous</p>')
  })

  it('schedules no timer and starts no refresh while rendering', () => {
    const clock = serverClock()
    const refresh = vi.fn()
    const auth = createAuthClient({ refresh, clock, tokens: { accessToken: 'a1', refreshToken: 'r1', expiresAt: clock.now() - 1 } })
    renderToString(<AuthProvider client={auth}><Status /></AuthProvider>)
    expect(clock.setTimeout).not.toHaveBeenCalled()
    expect(refresh).not.toHaveBeenCalled()
  })
})
