import { http } from 'msw'
import { setupServer, type SetupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'
import { API } from './api'

/** One msw server per test file, no default handlers; each test adds its own with server.use(). */
export function useMswServer() {
  const server = setupServer()
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => server.resetHandlers())
  afterAll(() => server.close())
  return server
}

/** Resolves once `count` calls reached the API (registered after the API, it counts and lets the API answer). */
export function arrivals(server: SetupServer, count: number): Promise<void> {
  const all = createDeferred<void>()
  let seen = 0
  server.use(
    http.all(`${API}/*`, () => {
      if (++seen === count) all.resolve()
    }),
  )
  return all.promise
}
