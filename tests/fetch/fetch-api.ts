import { createAuthSession, type RefreshResult } from 'axios-reauth/fetch'
import { http, HttpResponse } from 'msw'
import type { SetupServer } from 'msw/node'
import { vi } from 'vitest'
import { createDeferred } from '../../src/core/support/deferred'
import { API, bearerOf } from '../helpers/api'

/** What the API saw of one call. */
export interface Call {
  method: string
  path: string
  token: string | undefined
  contentType: string | null
  body: string
}

/**
 * A protected API at {@link API} that accepts exactly the tokens in `valid` (a live set),
 * answers 401 with a Bearer challenge otherwise, and records each call with its body as text.
 */
export function useProtectedApi(server: SetupServer, valid: Set<string>) {
  const calls: Call[] = []
  server.use(
    http.all(`${API}/*`, async ({ request }) => {
      const token = bearerOf(request)
      const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text()
      calls.push({ method: request.method, path: new URL(request.url).pathname, token, contentType: request.headers.get('content-type'), body })
      if (!token || !valid.has(token)) return new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })
      return HttpResponse.json({ path: new URL(request.url).pathname, body })
    }),
  )
  return calls
}

/** A session whose refresh waits for the test: `pending` settles it, `called` tells that it started. */
export function deferredSession(tokens: RefreshResult = { accessToken: 'old', refreshToken: 'r1' }, onLoginRequired = vi.fn()) {
  const pending = createDeferred<RefreshResult>()
  const called = createDeferred<void>()
  const refresh = vi.fn(() => {
    called.resolve()
    return pending.promise
  })
  const auth = createAuthSession({ refresh, tokens, onLoginRequired })
  return { auth, refresh, pending, called: called.promise, onLoginRequired }
}
