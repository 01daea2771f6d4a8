import axios, { CanceledError } from 'axios'
import { ConfigurationError, createAuthClient, createAuthStore, LoginRequiredError, type ReauthenticateContext, type RefreshResult } from 'axios-reauth'
import { diagnose } from 'axios-reauth/diagnose'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'
import { API, protectedApi } from '../helpers/api'
import { createManualClock } from '../helpers/manual-clock'
import { useMswServer } from '../helpers/msw'

const server = useMswServer()

const rejected = () => Promise.reject(Object.assign(new Error('invalid_grant'), { response: { status: 400 } }))

/**
 * A signed-in client whose refresh token the server has revoked: every 401 ends in a refused
 * refresh, and the app's `reauthenticate` (a dialog, scripted by a deferred) signs the user in.
 */
function setup(options: { clock?: ReturnType<typeof createManualClock>['clock']; reauthenticateTimeoutMs?: number; tokens?: RefreshResult } = {}) {
  const valid = new Set(['new'])
  const api = protectedApi(valid)
  server.use(api.handler)
  const dialog = createDeferred<RefreshResult>()
  const opened = createDeferred<ReauthenticateContext>()
  const reauthenticate = vi.fn((context: ReauthenticateContext) => {
    opened.resolve(context)
    return dialog.promise
  })
  const onLoginRequired = vi.fn()
  const refresh = vi.fn((): Promise<RefreshResult> => rejected())
  const auth = createAuthClient({ refresh, reauthenticate, onLoginRequired, diagnose, tokens: options.tokens ?? { accessToken: 'old', refreshToken: 'r1' }, clock: options.clock, reauthenticateTimeoutMs: options.reauthenticateTimeoutMs })
  const client = axios.create({ baseURL: API })
  auth.attach(client)
  return { api, auth, client, dialog, opened, reauthenticate, onLoginRequired, refresh }
}

/** Lets the promise callbacks of already-settled work run (msw answers in a few macrotasks). */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('signing in again while requests wait', () => {
  it('holds the failed and the new requests while the dialog is open, then replays each once with the new token', async () => {
    const { api, auth, client, dialog, opened, reauthenticate, onLoginRequired } = setup()
    const failed = [client.get('/a'), client.post('/form', { unsaved: 'draft' }), client.get('/b')]
    const context = await opened.promise
    expect(context).toMatchObject({ reason: 'refresh-rejected', cause: expect.objectContaining({ message: 'invalid_grant' }) })
    expect(auth.status).toBe('reauthenticating')
    const held = client.get('/new')
    await flush()
    expect(api.calls.map((call) => call.path)).toEqual(['/a', '/form', '/b'])
    dialog.resolve({ accessToken: 'new', refreshToken: 'r2' })
    const results = await Promise.all([...failed, held])
    expect(results.map((result) => result.data.path)).toEqual(['/a', '/form', '/b', '/new'])
    expect(api.calls.filter((call) => call.token === 'new').map((call) => call.path).sort()).toEqual(['/a', '/b', '/form', '/new'])
    expect(api.calls.filter((call) => call.path === '/new')).toEqual([{ path: '/new', token: 'new' }])
    expect(reauthenticate).toHaveBeenCalledTimes(1)
    expect(onLoginRequired).not.toHaveBeenCalled()
    expect(auth.status).toBe('authenticated')
    expect(auth.getTokens()).toEqual({ accessToken: 'new', refreshToken: 'r2' })
  })

  it('replays the form POST with its body as it was', async () => {
    const bodies: unknown[] = []
    const { client, dialog, opened } = setup()
    server.use(http.post(`${API}/form`, async ({ request }) => {
      bodies.push(await request.json())
      return request.headers.get('authorization') === 'Bearer new' ? HttpResponse.json({ saved: true }) : new HttpResponse(null, { status: 401 })
    }))
    const saving = client.post('/form', { title: 'draft', body: 'typed for an hour' })
    await opened.promise
    dialog.resolve({ accessToken: 'new' })
    await expect(saving).resolves.toMatchObject({ data: { saved: true } })
    expect(bodies).toEqual([{ title: 'draft', body: 'typed for an hour' }, { title: 'draft', body: 'typed for an hour' }])
  })

  it('opens the dialog when there is no refresh token, without calling refresh', async () => {
    const { client, dialog, opened, refresh } = setup({ tokens: { accessToken: 'old' } })
    const request = client.get('/a')
    await expect(opened.promise).resolves.toMatchObject({ reason: 'no-refresh-token' })
    dialog.resolve({ accessToken: 'new' })
    await expect(request).resolves.toMatchObject({ data: { path: '/a' } })
    expect(refresh).not.toHaveBeenCalled()
  })

  it('opens the dialog when a fresh token is refused, rejecting the refused replay (sent twice already) and holding what comes next', async () => {
    const { api, auth, client, dialog, opened, refresh } = setup()
    refresh.mockImplementation(async () => ({ accessToken: 'refused-too', refreshToken: 'r2' }))
    // An earlier sign-out left its error behind: the refused replay must not get that one.
    auth.clearTokens()
    auth.setTokens({ accessToken: 'old', refreshToken: 'r1' })
    const replayed = client.get('/a')
    await expect(opened.promise).resolves.toMatchObject({ reason: 'token-revoked' })
    await expect(replayed).rejects.toMatchObject({ code: 'login-required', reason: 'token-revoked' })
    const next = client.get('/next')
    dialog.resolve({ accessToken: 'new' })
    await expect(next).resolves.toMatchObject({ data: { path: '/next' } })
    expect(api.calls.map((call) => call.token)).toEqual(['old', 'refused-too', 'new'])
    expect(auth.status).toBe('authenticated')
  })

  it('rejects a request aborted while the dialog is open at once, and still replays the others', async () => {
    const { api, client, dialog, opened } = setup()
    const failedController = new AbortController()
    const heldController = new AbortController()
    const failed = client.get('/failed', { signal: failedController.signal })
    const other = client.get('/other')
    await opened.promise
    const held = client.get('/held', { signal: heldController.signal })
    failedController.abort()
    heldController.abort()
    await expect(failed).rejects.toBeInstanceOf(CanceledError)
    await expect(held).rejects.toBeInstanceOf(CanceledError)
    dialog.resolve({ accessToken: 'new' })
    await expect(other).resolves.toMatchObject({ data: { path: '/other' } })
    expect(api.calls.map((call) => call.path)).toEqual(['/failed', '/other', '/other'])
  })

  it('honours a CancelToken and a timeout while the dialog is open', async () => {
    const manual = createManualClock()
    const { client, dialog, opened } = setup({ clock: manual.clock })
    const source = axios.CancelToken.source()
    const cancelled = client.get('/cancelled', { cancelToken: source.token })
    await opened.promise
    const timed = client.get('/timed', { timeout: 5_000 })
    const other = client.get('/other')
    source.cancel('left the page')
    await expect(cancelled).rejects.toMatchObject({ message: 'left the page' })
    await manual.advance(5_000)
    await expect(timed).rejects.toMatchObject({ code: 'ECONNABORTED' })
    dialog.resolve({ accessToken: 'new' })
    await expect(other).resolves.toMatchObject({ data: { path: '/other' } })
  })

  it('rejects them all with LoginRequiredError when the user closes the dialog, calling onLoginRequired once and no second dialog', async () => {
    const { auth, client, dialog, opened, reauthenticate, onLoginRequired } = setup()
    const failed = [client.get('/a'), client.get('/b')]
    await opened.promise
    const held = client.get('/held')
    const closed = new Error('dialog closed')
    dialog.reject(closed)
    const results = await Promise.allSettled([...failed, held])
    for (const result of results) {
      expect(result.status).toBe('rejected')
      const error = (result as PromiseRejectedResult).reason
      expect(error).toBeInstanceOf(LoginRequiredError)
      expect(error).toMatchObject({ reason: 'refresh-rejected', cause: closed })
    }
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
    expect(onLoginRequired).toHaveBeenCalledWith({ reason: 'refresh-rejected', error: results[0] && (results[0] as PromiseRejectedResult).reason })
    expect(auth.status).toBe('unauthenticated')
    expect(auth.getTokens()).toBeUndefined()
    // The ended session stays ended: a later 401 opens no dialog and tells the app nothing twice.
    await expect(client.get('/later')).rejects.toBeInstanceOf(LoginRequiredError)
    expect(reauthenticate).toHaveBeenCalledTimes(1)
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
  })

  it('gives up at reauthenticateTimeoutMs: requests reject with LoginRequiredError and the dialog is told through its signal', async () => {
    const manual = createManualClock()
    const { client, opened, onLoginRequired } = setup({ clock: manual.clock, reauthenticateTimeoutMs: 60_000 })
    const request = client.get('/a')
    const { signal } = await opened.promise
    await manual.advance(59_999)
    expect(signal.aborted).toBe(false)
    await manual.advance(1)
    const error = await request.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(LoginRequiredError)
    expect(error).toMatchObject({ reason: 'refresh-rejected', cause: { code: 'reauthenticate-timeout' } })
    expect((error as Error & { cause: Error }).cause.message).toMatch(/^\[axios-reauth\] The sign-in timed out: .* Raise reauthenticateTimeoutMs/)
    expect(signal.aborted).toBe(true)
    expect(onLoginRequired).toHaveBeenCalledTimes(1)
  })

  it('opens one dialog for a second storm of 401s that arrives while it is open', async () => {
    const late = createDeferred<void>()
    let first = true
    const stormHandler = http.get(`${API}/storm/*`, async ({ request }) => {
      if (request.headers.get('authorization') === 'Bearer new') return HttpResponse.json({ path: new URL(request.url).pathname })
      if (first) first = false
      else await late.promise
      return new HttpResponse(null, { status: 401 })
    })
    const { auth, client, dialog, opened, reauthenticate, refresh } = setup()
    server.use(stormHandler)
    const all401s = createDeferred<void>()
    let unauthorized = 0
    auth.on('diagnosis', () => ++unauthorized === 6 && all401s.resolve())
    const storm = Array.from({ length: 6 }, (_, i) => client.get(`/storm/${i}`))
    await opened.promise
    // The other five were sent with the old token before the session ended; their 401s come now.
    late.resolve()
    await all401s.promise
    expect(auth.status).toBe('reauthenticating')
    dialog.resolve({ accessToken: 'new' })
    const results = await Promise.all(storm)
    expect(results.map((result) => result.data.path)).toEqual(Array.from({ length: 6 }, (_, i) => `/storm/${i}`))
    expect(reauthenticate).toHaveBeenCalledTimes(1)
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('replays with tokens given by setTokens() from elsewhere during the dialog, and tells the dialog through its signal', async () => {
    const { auth, client, dialog, opened } = setup()
    const request = client.get('/a')
    const { signal } = await opened.promise
    auth.setTokens({ accessToken: 'new', refreshToken: 'r2' })
    await expect(request).resolves.toMatchObject({ data: { path: '/a' } })
    expect(signal.aborted).toBe(true)
    // The dialog's late answer changes nothing.
    dialog.resolve({ accessToken: 'late' })
    await flush()
    expect(auth.getTokens()).toEqual({ accessToken: 'new', refreshToken: 'r2' })
  })

  it('rejects the waiting requests with LoginRequiredError (signed-out) on clearTokens() during the dialog, without telling the app', async () => {
    const { auth, client, opened, onLoginRequired } = setup()
    const request = client.get('/a')
    const { signal } = await opened.promise
    auth.clearTokens()
    await expect(request).rejects.toMatchObject({ code: 'login-required', reason: 'signed-out' })
    expect(signal.aborted).toBe(true)
    expect(onLoginRequired).not.toHaveBeenCalled()
  })

  it('rejects the waiting requests as disposed when the client is disposed during the dialog', async () => {
    const { auth, client, opened } = setup()
    const request = client.get('/a')
    const { signal } = await opened.promise
    auth.dispose()
    await expect(request).rejects.toMatchObject({ code: 'disposed' })
    expect(signal.aborted).toBe(true)
  })

  it('ends the session with a ConfigurationError as cause when reauthenticate resolves with no token', async () => {
    const { client, dialog, opened } = setup()
    const request = client.get('/a')
    await opened.promise
    dialog.resolve({} as RefreshResult)
    const error = await request.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(LoginRequiredError)
    expect((error as LoginRequiredError).cause).toBeInstanceOf(ConfigurationError)
    expect((error as LoginRequiredError).cause).toMatchObject({ message: expect.stringContaining('reauthenticate resolved with no accessToken') })
  })

  it('lets getAccessToken() wait for the dialog too', async () => {
    const { auth, client, dialog, opened } = setup()
    const request = client.get('/a')
    await opened.promise
    const token = auth.getAccessToken()
    dialog.resolve({ accessToken: 'new' })
    await expect(token).resolves.toBe('new')
    await request
  })
})

it('shows reauthenticating in the store the React and Vue adapters read, then authenticated', async () => {
  const { auth, client, dialog, opened } = setup()
  const store = createAuthStore(auth)
  const seen: string[] = []
  const stop = store.subscribe(() => seen.push(store.getSnapshot().status))
  const request = client.get('/a')
  await opened.promise
  expect(store.getSnapshot()).toMatchObject({ status: 'reauthenticating', isAuthenticated: false, isRefreshing: false })
  dialog.resolve({ accessToken: 'new' })
  await request
  stop()
  expect(seen).toEqual(['refreshing', 'reauthenticating', 'authenticated'])
})

describe('reauthenticate options', () => {
  it.each([
    [{ reauthenticate: 'open the dialog' }, /refused reauthenticate \(a string\): it must be a function/],
    [{ reauthenticateTimeoutMs: 0 }, /refused reauthenticateTimeoutMs \(0\): it must be a positive, finite number/],
    [{ reauthenticateTimeoutMs: Number.POSITIVE_INFINITY }, /refused reauthenticateTimeoutMs \(Infinity\)/],
    [{ stepUp: {} }, /refused stepUp \(an object\): it must be a function/],
  ])('refuses %o with a ConfigurationError that names the fix', (bad, message) => {
    expect(() => createAuthClient({ refresh: rejected, ...(bad as object) })).toThrow(message)
  })
})
