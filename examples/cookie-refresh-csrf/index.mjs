// @ts-check
// A refresh token held in an httpOnly cookie, and the refresh endpoint guarded against CSRF:
// `refreshTokenInCookie: true` calls `refresh` without a refresh token (the cookie travels on its
// own), and `refresh` first fetches a CSRF token, then sends it back in a header the server
// checks. In a browser, `withCredentials: true` sends the cookies; this Node script keeps them
// in a small jar instead. Run: node examples/cookie-refresh-csrf/index.mjs (after `npm run build`).
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import axios from 'axios'
import { createAuthClient } from 'axios-reauth'

const counts = { refreshes: 0, refusedWithoutCsrf: 0, unauthorized: 0, ok: 0 }
const session = { refreshToken: randomBytes(16).toString('hex'), csrf: randomBytes(16).toString('hex'), accessToken: 'first-access-token-0001' }
const cookieOf = (/** @type {string | undefined} */ header) => /(?:^|;\s*)refresh_token=([^;]+)/.exec(header ?? '')?.[1]

const server = createServer((request, response) => {
  const json = (/** @type {number} */ status, /** @type {unknown} */ body, headers = {}) => response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
  if (request.url === '/auth/csrf') return json(200, { csrfToken: session.csrf })
  if (request.url === '/auth/refresh') {
    if (cookieOf(request.headers.cookie) !== session.refreshToken) return json(401, { error: 'invalid_grant' })
    if (request.headers['x-csrf-token'] !== session.csrf) {
      counts.refusedWithoutCsrf += 1
      return json(403, { error: 'csrf' })
    }
    counts.refreshes += 1
    session.refreshToken = randomBytes(16).toString('hex') // rotated, in the cookie only
    session.accessToken = `access-token-${randomBytes(8).toString('hex')}`
    return json(200, { access_token: session.accessToken, expires_in: 300 }, { 'set-cookie': `refresh_token=${session.refreshToken}; HttpOnly; Secure; SameSite=Strict; Path=/auth` })
  }
  if (request.headers.authorization !== `Bearer ${session.accessToken}`) {
    counts.unauthorized += 1
    return json(401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' })
  }
  counts.ok += 1
  json(200, { ok: true })
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
const address = server.address()
const baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`

// What the browser's cookie store does: the login answer set this cookie.
const jar = { refresh_token: session.refreshToken }
const authApi = axios.create({ baseURL, withCredentials: true })
authApi.interceptors.request.use((config) => {
  config.headers.set('cookie', `refresh_token=${jar.refresh_token}`)
  return config
})
authApi.interceptors.response.use((response) => {
  const token = cookieOf([response.headers['set-cookie'] ?? []].flat().join('; '))
  if (token) jar.refresh_token = token
  return response
})

// The API instance is not the one refresh uses: the CSRF fetch and the refresh call never wait
// behind the refresh they belong to (in cookie mode no refresh token tells them apart).
const api = axios.create({ baseURL })
const auth = createAuthClient({
  refreshTokenInCookie: true,
  tokens: { accessToken: 'an-access-token-the-server-no-longer-takes' },
  refresh: async ({ signal }) => {
    const { data: csrf } = await authApi.get('/auth/csrf', { signal })
    const { data } = await authApi.post('/auth/refresh', null, { signal, headers: { 'x-csrf-token': csrf.csrfToken } })
    return { accessToken: data.access_token, expiresIn: data.expires_in }
  },
})
auth.attach(api)

// Without the CSRF header the endpoint refuses, whatever the cookie says.
await authApi.post('/auth/refresh').catch(() => undefined)
await api.get('/me') // 401, one refresh through the cookie and the CSRF header, replayed

server.close()
auth.dispose()
console.log(JSON.stringify(counts))
if (counts.refreshes !== 1 || counts.refusedWithoutCsrf !== 1 || counts.unauthorized !== 1 || counts.ok !== 1) process.exit(1)
