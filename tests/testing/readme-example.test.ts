// The README's "Testing your app" example, word for word between the markers: a README test
// checks that the two stay the same.
// readme:start
import axios from 'axios'
import { createAuthClient, LoginRequiredError } from 'axios-reauth'
import { createFakeAuthServer, expireNow } from 'axios-reauth/testing'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'

const authServer = createFakeAuthServer({ expiresIn: 60, claims: { sub: 'ada' } })
const mock = setupServer(
  http.get('https://api.example.com/me', ({ request }) =>
    authServer.isAuthorized(request.headers.get('authorization'))
      ? HttpResponse.json({ name: 'Ada' })
      : new HttpResponse(null, { status: 401 }),
  ),
)
beforeAll(() => mock.listen({ onUnhandledRequest: 'error' }))
afterEach(() => mock.resetHandlers())
afterAll(() => mock.close())

function signedInApi() {
  const api = axios.create({ baseURL: 'https://api.example.com' })
  const auth = createAuthClient({ refresh: authServer.refresh, tokens: authServer.signIn() })
  auth.attach(api)
  return { api, auth }
}

it('refreshes once when the server refuses an expired token', async () => {
  const { api } = signedInApi()
  authServer.expireAccessTokens() // the server now answers 401
  await expect(api.get('/me')).resolves.toMatchObject({ data: { name: 'Ada' } })
})

it('refreshes before the request leaves when the client sees the token expired', async () => {
  const { api, auth } = signedInApi()
  const before = authServer.refreshCalls
  expireNow(auth)
  await api.get('/me')
  expect(authServer.refreshCalls).toBe(before + 1)
})

it('asks the user to sign in when the refresh is refused', async () => {
  const { api } = signedInApi()
  authServer.expireAccessTokens()
  authServer.failNextRefresh('fatal')
  await expect(api.get('/me')).rejects.toBeInstanceOf(LoginRequiredError)
})
// readme:end

it('is the code of the README section "Testing your app", word for word', async () => {
  const { readFileSync } = await import('node:fs')
  const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')
  const own = /\/\/ readme:start\n([\s\S]*?)\/\/ readme:end\n/.exec(read('./readme-example.test.ts'))?.[1]
  const section = /\n## Testing your app\n[\s\S]*?```ts\n([\s\S]*?)```\n/.exec(read('../../README.md'))?.[1]
  expect(own).toBeDefined()
  expect(section).toBe(own)
})
