import axios from 'axios'
import { createAuthClient, memoryStorage, webStorage, type TokenStorage, type Tokens } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../../src/core/support/deferred'
import { API, bearerOf } from '../../helpers/api'
import { useMswServer } from '../../helpers/msw'

const server = useMswServer()

/** A Storage stand-in backed by a Map, with switches for the ways browsers fail. */
function fakeWebStorage() {
  const items = new Map<string, string>()
  const failures = { quota: false, disabled: false }
  const guard = () => {
    if (failures.disabled) throw new DOMException('The operation is insecure.', 'SecurityError')
  }
  return {
    items,
    failures,
    getItem: (key: string) => (guard(), items.get(key) ?? null),
    setItem: (key: string, value: string) => {
      guard()
      if (failures.quota) throw new DOMException('Quota exceeded', 'QuotaExceededError')
      items.set(key, value)
    },
    removeItem: (key: string) => (guard(), void items.delete(key)),
  }
}

const quietLogger = () => ({ debug: vi.fn(), warn: vi.fn() })
const refresh = async () => ({ accessToken: 'refreshed', refreshToken: 'r2' })

describe('memoryStorage', () => {
  it('keeps tokens for the life of the client only', () => {
    const storage = memoryStorage()
    const auth = createAuthClient({ refresh, storage })
    auth.setTokens({ accessToken: 'a', refreshToken: 'r' })
    expect(storage.get()).toEqual({ accessToken: 'a', refreshToken: 'r' })
    auth.clearTokens()
    expect(storage.get()).toBeUndefined()
  })
})

describe('webStorage', () => {
  it('persists tokens under its key and restores them in a new client', () => {
    const backing = fakeWebStorage()
    createAuthClient({ refresh, storage: webStorage(backing, 'app.tokens') }).setTokens({ accessToken: 'a', refreshToken: 'r' })
    expect(JSON.parse(backing.items.get('app.tokens')!)).toEqual({ accessToken: 'a', refreshToken: 'r' })
    const restored = createAuthClient({ refresh, storage: webStorage(backing, 'app.tokens') })
    expect(restored.getTokens()).toEqual({ accessToken: 'a', refreshToken: 'r' })
    expect(restored.status).toBe('authenticated')
  })

  it.each([
    ['corrupted JSON', '{"accessToken": "a", '],
    ['foreign JSON', '{"token":"abc","user":1}'],
    ['a JSON string', '"just a string"'],
    ['an accessToken of the wrong type', '{"accessToken": 42}'],
  ])('treats %s in its key as no tokens', (_, raw) => {
    const backing = fakeWebStorage()
    backing.items.set('axios-reauth', raw)
    const auth = createAuthClient({ refresh, storage: webStorage(backing) })
    expect(auth.getTokens()).toBeUndefined()
    expect(auth.status).toBe('unauthenticated')
  })

  it('keeps working in memory when the quota is exceeded, and warns without the token', async () => {
    const backing = fakeWebStorage()
    backing.failures.quota = true
    const logger = quietLogger()
    const auth = createAuthClient({ refresh, storage: webStorage(backing), logger })
    auth.setTokens({ accessToken: 'secret-access-token', refreshToken: 'r' })
    expect(auth.getTokens()?.accessToken).toBe('secret-access-token')
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/token storage failed/), 'Quota exceeded')
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('secret-access-token')
  })

  it('survives storage the browser has disabled, looked up lazily', () => {
    const backing = fakeWebStorage()
    backing.failures.disabled = true
    const auth = createAuthClient({ refresh, storage: webStorage(() => backing), logger: quietLogger() })
    expect(auth.getTokens()).toBeUndefined()
    auth.setTokens({ accessToken: 'a' })
    auth.clearTokens()
    expect(auth.status).toBe('unauthenticated')
  })

  it('lets explicit initial tokens win over stored ones and stores them', () => {
    const backing = fakeWebStorage()
    backing.items.set('axios-reauth', JSON.stringify({ accessToken: 'stale' }))
    const auth = createAuthClient({ refresh, storage: webStorage(backing), tokens: { accessToken: 'fresh' } })
    expect(auth.getTokens()?.accessToken).toBe('fresh')
    expect(JSON.parse(backing.items.get('axios-reauth')!).accessToken).toBe('fresh')
  })
})

describe('a custom asynchronous storage', () => {
  it('holds the first requests until the tokens are loaded', async () => {
    const loaded = createDeferred<Tokens | undefined>()
    const storage: TokenStorage = { get: () => loaded.promise, set: vi.fn(async () => {}), clear: vi.fn(async () => {}) }
    const seen: Array<string | undefined> = []
    server.use(http.get(`${API}/*`, ({ request }) => (seen.push(bearerOf(request)), HttpResponse.json({}))))
    const auth = createAuthClient({ refresh, storage })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    expect(auth.status).toBe('restoring')
    const request = api.get('/me')
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(seen).toEqual([])
    loaded.resolve({ accessToken: 'from-storage', refreshToken: 'r' })
    await request
    expect(seen).toEqual(['from-storage'])
    expect(auth.status).toBe('authenticated')
  })

  it('releases held requests without a token when loading fails', async () => {
    const storage: TokenStorage = { get: () => Promise.reject(new Error('indexeddb blocked')), set: () => {}, clear: () => {} }
    const seen: Array<string | undefined> = []
    server.use(http.get(`${API}/*`, ({ request }) => (seen.push(bearerOf(request)), HttpResponse.json({}))))
    const auth = createAuthClient({ refresh, storage, logger: quietLogger() })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    await api.get('/public')
    expect(seen).toEqual([undefined])
    expect(auth.status).toBe('unauthenticated')
  })
})

describe('a custom storage that misbehaves', () => {
  it('treats junk it returns as no tokens and warns, instead of crashing the app', () => {
    const logger = quietLogger()
    const storage: TokenStorage = { get: () => ({ accessToken: 42 }) as never, set: () => {}, clear: () => {} }
    const auth = createAuthClient({ refresh, storage, logger })
    expect(auth.getTokens()).toBeUndefined()
    expect(logger.warn).toHaveBeenCalledTimes(1)
  })

  it('keeps the session when get throws', () => {
    const logger = quietLogger()
    const storage: TokenStorage = {
      get: () => {
        throw new Error('broken')
      },
      set: () => {},
      clear: () => {},
    }
    const auth = createAuthClient({ refresh, storage, logger, tokens: { accessToken: 'a' } })
    expect(auth.getTokens()).toEqual({ accessToken: 'a' })
  })
})

describe('cookie mode', () => {
  it('refreshes without a refresh token when the refresh token lives in an httpOnly cookie', async () => {
    server.use(http.get(`${API}/*`, ({ request }) => (bearerOf(request) === 'refreshed' ? HttpResponse.json({}) : new HttpResponse(null, { status: 401 }))))
    const cookieRefresh = vi.fn(async ({ refreshToken }: { refreshToken?: string }) => {
      expect(refreshToken).toBeUndefined()
      return { accessToken: 'refreshed' }
    })
    const onLoginRequired = vi.fn()
    const auth = createAuthClient({ refresh: cookieRefresh, refreshTokenInCookie: true, onLoginRequired })
    const api = axios.create({ baseURL: API })
    auth.attach(api)
    await expect(api.get('/me')).resolves.toMatchObject({ status: 200 })
    expect(cookieRefresh).toHaveBeenCalledTimes(1)
    expect(onLoginRequired).not.toHaveBeenCalled()
  })
})
