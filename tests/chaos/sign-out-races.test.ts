import axios from 'axios'
import { createAuthClient, LoginRequiredError } from 'axios-reauth'
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'
import { API, bearerOf } from '../helpers/api'
import { useMswServer } from '../helpers/msw'

/**
 * Races the chaos suite found, as the smallest deterministic reproductions: a 401 that arrives
 * after the app signed out (`clearTokens()`) belongs to that sign-out, not to a new session end.
 */
const server = useMswServer()

const unauthorized = () => new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })

function setup() {
  const onLoginRequired = vi.fn()
  const auth = createAuthClient({
    refresh: async () => ({ accessToken: 'new', refreshToken: 'r2' }),
    onLoginRequired,
    tokens: { accessToken: 'old', refreshToken: 'r1' },
  })
  const client = axios.create({ baseURL: API })
  auth.attach(client)
  return { auth, client, onLoginRequired }
}

describe('a 401 that arrives after clearTokens()', () => {
  it('rejects a replay in flight at sign-out with reason signed-out', async () => {
    // /x answers 401 to everyone; the replay's answer (with the refreshed token) waits for the gate.
    const gate = createDeferred()
    const replayArrived = createDeferred<void>()
    const seen: Array<string | undefined> = []
    server.use(http.get(`${API}/x`, async ({ request }) => {
      seen.push(bearerOf(request))
      if (bearerOf(request) === 'new') {
        replayArrived.resolve()
        await gate.promise
      }
      return unauthorized()
    }))
    const { auth, client, onLoginRequired } = setup()
    const pending = client.get('/x').catch((error: unknown) => error)
    await replayArrived.promise
    expect(seen).toEqual(['old', 'new'])
    auth.clearTokens()
    gate.resolve()
    const error = await pending
    expect(onLoginRequired).not.toHaveBeenCalled()
    expect(error).toBeInstanceOf(LoginRequiredError)
    expect((error as LoginRequiredError).reason).toBe('signed-out')
  })

  it('does not call onLoginRequired for a request in flight at sign-out', async () => {
    const gate = createDeferred()
    const arrived = createDeferred<void>()
    server.use(http.get(`${API}/y`, async () => {
      arrived.resolve()
      await gate.promise
      return unauthorized()
    }))
    const { auth, client, onLoginRequired } = setup()
    const pending = client.get('/y').catch((error: unknown) => error)
    await arrived.promise
    auth.clearTokens()
    gate.resolve()
    const error = await pending
    expect(onLoginRequired).not.toHaveBeenCalled()
    expect((error as LoginRequiredError).reason).toBe('signed-out')
  })
})
