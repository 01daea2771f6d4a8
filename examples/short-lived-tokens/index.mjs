// @ts-check
// Short-lived tokens and leewaySeconds: a token endpoint that issues 3-second access tokens, and
// a client that refreshes before a request leaves with a token about to expire, so the API never
// answers 401. Run: node examples/short-lived-tokens/index.mjs (after `npm run build`).
import { createServer } from 'node:http'
import axios from 'axios'
import { createAuthClient } from 'axios-reauth'
import { fakeToken } from 'axios-reauth/testing'

const LIFETIME_SECONDS = 3
const counts = { refreshes: 0, unauthorized: 0, ok: 0 }
/** Access tokens the API accepts, with their expiry (epoch ms). @type {Map<string, number>} */
const live = new Map()
const issue = () => {
  const accessToken = fakeToken({ expiresIn: LIFETIME_SECONDS, claims: { jti: String(live.size) } })
  live.set(accessToken, Date.now() + LIFETIME_SECONDS * 1000)
  return { access_token: accessToken, refresh_token: `refresh-${live.size}`, expires_in: LIFETIME_SECONDS }
}

const server = createServer((request, response) => {
  if (request.url === '/auth/refresh') {
    counts.refreshes += 1
    return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issue()))
  }
  const token = request.headers.authorization?.replace(/^Bearer /, '') ?? ''
  if ((live.get(token) ?? 0) <= Date.now()) {
    counts.unauthorized += 1
    return void response.writeHead(401).end()
  }
  counts.ok += 1
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
const address = server.address()
const baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`

const api = axios.create({ baseURL })
const first = issue()
const auth = createAuthClient({
  tokens: { accessToken: first.access_token, refreshToken: first.refresh_token, expiresIn: first.expires_in },
  refresh: async ({ refreshToken, signal }) => {
    const { data } = await axios.post(`${baseURL}/auth/refresh`, { refreshToken }, { signal })
    return { accessToken: data.access_token, refreshToken: data.refresh_token, expiresIn: data.expires_in }
  },
  // Refresh when a request would leave within 10 s of expiry. For tokens that live 3 s the leeway
  // is capped at half their lifetime (1.5 s), so a fresh token is used for its first half.
  leewaySeconds: 10,
})
auth.attach(api)

await api.get('/me') // the fresh token goes as it is
await new Promise((resolve) => setTimeout(resolve, 2000)) // now within 1.5 s of expiry
await api.get('/me') // refreshed first, then sent: no 401

server.close()
auth.dispose()
console.log(JSON.stringify(counts))
if (counts.refreshes !== 1 || counts.unauthorized !== 0 || counts.ok !== 2) process.exit(1)
