import { createAuthClient, crossTab, memoryStorage, webStorage, type AuthClientOptions } from 'axios-reauth'
import { describe, expect, it, vi } from 'vitest'
import { isCollectable, settle, stubBrowserPage, stubServerRuntime } from '../../helpers/tab-globals'

const quiet = () => ({ debug: vi.fn(), warn: vi.fn() })

const client = (options: Partial<AuthClientOptions> = {}) =>
  createAuthClient({ refresh: async () => ({ accessToken: 'never-used' }), logger: quiet(), ...options })

describe('per-request SSR clients on a runtime with Web Locks and BroadcastChannel', () => {
  it('keeps two visitors apart: no channel, no adopted tokens, no shared sign-out', async () => {
    const runtime = stubServerRuntime()
    for (const coordination of [crossTab(), crossTab({ name: 'my-app' })]) {
      const alice = client({ crossTab: coordination, tokens: { accessToken: 'alice-access', refreshToken: 'alice-refresh' } })
      const bob = client({ crossTab: coordination })
      await settle()
      expect(bob.getTokens()).toBeUndefined()

      bob.setTokens({ accessToken: 'bob-access', refreshToken: 'bob-refresh' })
      alice.clearTokens()
      await settle()
      expect(bob.getTokens()?.accessToken).toBe('bob-access')
      expect(bob.status).toBe('authenticated')
    }
    expect(runtime.created).toEqual([])
  })

  it('says nothing about it: a server creates a client per request', () => {
    stubServerRuntime()
    const logger = quiet()
    client({ crossTab: crossTab(), logger })
    client({ crossTab: crossTab({ name: 'my-app' }), logger })
    client({ crossTab: crossTab({ name: 'my-app' }), logger })
    expect(logger.warn).not.toHaveBeenCalled()
    expect(logger.debug).not.toHaveBeenCalled()
  })

  it('does not hand one visitor the tokens of another visitor’s refresh', async () => {
    stubServerRuntime()
    const alice = createAuthClient({ crossTab: crossTab(), tokens: { accessToken: 'alice-1', refreshToken: 'alice-r1' }, refresh: async () => ({ accessToken: 'alice-2', refreshToken: 'alice-r2' }) })
    const bob = client({ crossTab: crossTab(), tokens: { accessToken: 'bob-1', refreshToken: 'bob-r1' } })
    await alice.refresh()
    await settle()
    expect(bob.getTokens()).toEqual({ accessToken: 'bob-1', refreshToken: 'bob-r1' })
  })

  it('lets a dropped visitor client be garbage-collected', async () => {
    stubServerRuntime()
    const collectable = await isCollectable(() => {
      const storage = memoryStorage()
      const visitor = client({ crossTab: crossTab(), storage, tokens: { accessToken: 'visitor-access', refreshToken: 'visitor-refresh' } })
      visitor.setTokens({ accessToken: 'visitor-access-2', refreshToken: 'visitor-refresh-2' })
      // The storage holds the visitor's tokens: whatever keeps the session alive keeps it too.
      return storage
    })
    expect(collectable).toBe(true)
  })
})

describe('two clients in one page', () => {
  it('keeps two memory-storage clients apart unless they share a crossTab name', async () => {
    const page = stubBrowserPage()
    const first = client({ crossTab: crossTab(), tokens: { accessToken: 'api-a-access', refreshToken: 'api-a-refresh' } })
    const second = client({ crossTab: crossTab() })
    await settle()
    expect(second.getTokens()).toBeUndefined()
    second.setTokens({ accessToken: 'api-b-access', refreshToken: 'api-b-refresh' })
    await settle()
    expect(first.getTokens()?.accessToken).toBe('api-a-access')
    expect(page.created).toEqual([])
  })

  it('keeps two localStorage clients with different keys apart', async () => {
    stubBrowserPage()
    const first = client({ storage: webStorage(localStorage, 'api-a'), tokens: { accessToken: 'api-a-access', refreshToken: 'api-a-refresh' } })
    const second = client({ storage: webStorage(localStorage, 'api-b'), tokens: { accessToken: 'api-b-access', refreshToken: 'api-b-refresh' } })
    first.setTokens({ accessToken: 'api-a-access-2', refreshToken: 'api-a-refresh-2' })
    second.clearTokens()
    await settle()
    expect(second.getTokens()).toBeUndefined()
    expect(first.getTokens()?.accessToken).toBe('api-a-access-2')
  })

  it('warns once, naming crossTab({ name }), when a memory-storage client asks for crossTab() without a name', () => {
    stubBrowserPage()
    const logger = quiet()
    client({ crossTab: crossTab(), logger })
    expect(logger.warn).toHaveBeenCalledTimes(1)
    expect(String(logger.warn.mock.calls[0]?.[0])).toMatch(/^\[axios-reauth\] .*crossTab: crossTab\(\{ name/)
  })

  it('shares a session between tabs that name it, and warns when two clients of one page claim the same name', async () => {
    const page = stubBrowserPage()
    const first = client({ crossTab: crossTab({ name: 'my-app' }), tokens: { accessToken: 'shared-access', refreshToken: 'shared-refresh' } })
    const logger = quiet()
    const second = client({ crossTab: crossTab({ name: 'my-app' }), logger })
    await settle()
    expect(second.getTokens()?.accessToken).toBe('shared-access')
    expect(page.created).toEqual(['my-app', 'my-app'])
    expect(logger.warn).toHaveBeenCalledTimes(1)
    expect(String(logger.warn.mock.calls[0]?.[0])).toMatch(/"my-app".*own storage key or crossTab\(\{ name \}\)/)
    void first
  })

  it('warns when two localStorage clients of one page use the same key', () => {
    stubBrowserPage()
    client({ storage: webStorage(localStorage, 'same') })
    const logger = quiet()
    client({ storage: webStorage(localStorage, 'same'), logger })
    expect(logger.warn).toHaveBeenCalledTimes(1)
  })

  it('frees the name on dispose(), so a replacement client does not warn', () => {
    stubBrowserPage()
    client({ crossTab: crossTab({ name: 'my-app' }) }).dispose()
    const logger = quiet()
    client({ crossTab: crossTab({ name: 'my-app' }), logger })
    expect(logger.warn).not.toHaveBeenCalled()
  })
})

describe('memory storage in a browser without BroadcastChannel', () => {
  it('never writes a token into web storage', async () => {
    const page = stubBrowserPage({ modern: false })
    const auth = createAuthClient({
      crossTab: crossTab({ name: 'my-app' }),
      storage: memoryStorage(),
      logger: quiet(),
      tokens: { accessToken: 'memory-access-1', refreshToken: 'memory-refresh-1' },
      refresh: async () => ({ accessToken: 'memory-access-2', refreshToken: 'memory-refresh-2' }),
    })
    auth.setTokens({ accessToken: 'memory-access-3', refreshToken: 'memory-refresh-3' })
    await auth.refresh()
    auth.clearTokens()
    await settle()
    expect(page.localStorage.written.join('\n')).not.toMatch(/memory-(access|refresh)/)
  })

  it('removes a storage-event message right after writing it, for a localStorage client', async () => {
    const page = stubBrowserPage({ modern: false })
    const auth = client({ storage: webStorage(localStorage, 'tokens') })
    auth.setTokens({ accessToken: 'local-access', refreshToken: 'local-refresh' })
    auth.clearTokens()
    await settle()
    expect([...page.localStorage.items.keys()]).toEqual([])
    expect(page.localStorage.written.some((value) => value.includes('"signed-out"'))).toBe(true)
  })

  it('still signs out the other tabs through storage events', () => {
    const page = stubBrowserPage({ modern: false })
    const auth = client({ storage: webStorage(localStorage, 'tokens'), tokens: { accessToken: 'local-access', refreshToken: 'local-refresh' } })
    for (const listener of page.windowListeners) (listener as (event: { key: string; newValue: string }) => void)({ key: 'axios-reauth:tokens.message', newValue: JSON.stringify({ message: { type: 'signed-out', reason: 'signed-out' } }) })
    expect(auth.status).toBe('unauthenticated')
  })
})
