import axios from 'axios'
import { createAuthClient, type RefreshResult } from 'axios-reauth'
import { diagnose } from 'axios-reauth/diagnose'
import type { SetupServer } from 'msw/node'
import { createDeferred } from '../../src/core/support/deferred'
import { API, protectedApi } from './api'
import { fakeJwt } from './jwt'

const inMinutes = (minutes: number) => Math.floor(Date.now() / 1000) + minutes * 60

/**
 * A client whose (unexpired) token the API refuses, and a burst of `size` concurrent requests.
 * The refresh answers only once every request has had its 401, so all of them meet one refresh.
 */
export function unauthorizedBurst(server: Pick<SetupServer, 'use'>, size = 50) {
  const refused = fakeJwt({ sub: 'ada', exp: inMinutes(10), jti: 'refused' })
  const renewed = fakeJwt({ sub: 'ada', exp: inMinutes(20), jti: 'renewed' })
  server.use(protectedApi(new Set([renewed])).handler)
  const pending = createDeferred<RefreshResult>()
  let refreshes = 0
  const auth = createAuthClient({
    refresh: () => {
      refreshes += 1
      return pending.promise
    },
    tokens: { accessToken: refused, refreshToken: 'r1' },
    diagnose,
  })
  const api = axios.create({ baseURL: API, adapter: 'fetch' })
  const allRefused = createDeferred<void>()
  let unauthorized = 0
  // Registered before attach(), so it sees each 401 before the client handles it.
  api.interceptors.response.use(undefined, (error: { response?: { status?: number } }) => {
    if (error.response?.status === 401 && ++unauthorized === size) allRefused.resolve()
    throw error
  })
  auth.attach(api)
  /** Sends the burst, lets the refresh succeed once every 401 is in, and returns the statuses. */
  const run = async () => {
    const all = Promise.all(Array.from({ length: size }, (_, i) => api.get(`/items/${i}`)))
    await allRefused.promise
    pending.resolve({ accessToken: renewed, refreshToken: 'r2' })
    return (await all).map((response) => response.status)
  }
  return { auth, run, refreshes: () => refreshes }
}
