// An in-memory API for axios: no sockets and, unless `spreadMs` asks for them, no timers, so the
// figures measure the clients only.
// It answers 200 to the one access token it currently accepts and 401 to anything else,
// exactly as axios's own adapters do (a rejected AxiosError carrying the response).
import { AxiosError } from 'axios'

const base64url = (value) => Buffer.from(value).toString('base64url')

/** An unsigned JWT expiring in an hour: clients decode it, only servers verify. */
export function fakeJwt(serial) {
  const claims = { sub: 'bench-user', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600, n: serial }
  return `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.signature`
}

export const BASE_URL = 'https://api.bench.test'

/**
 * @param {object} [options]
 * @param {boolean} [options.open] Answer 200 whatever the Authorization header (the bare-axios baseline).
 * @param {boolean} [options.track] Record the time of each send (`lastSendAt`), for replay timing.
 * @param {number} [options.spreadMs] Answer send k after (k mod spreadMs) ms instead of at once, so
 *   that the 401s of one burst come back spread over that time, as they do over a real network.
 */
export function createMemoryServer({ open = false, track = false, spreadMs = 0 } = {}) {
  let serial = 0
  let accepted = fakeJwt(serial)
  // Built once per token, so that checking a request costs the server a string comparison only.
  let acceptedHeader = `Bearer ${accepted}`
  let gate
  const server = {
    /** Sends seen, and how many got 401. */
    sends: 0,
    unauthorized: 0,
    /** `performance.now()` at the latest send that the server accepted (with `track`). */
    lastSendAt: 0,
    /** The token the client starts with; accepted until `revoke()`. */
    get token() {
      return accepted
    },
    /** The server stops accepting the current token (it was revoked, or expired early). */
    revoke() {
      accepted = fakeJwt(++serial)
      acceptedHeader = `Bearer ${accepted}`
      return server
    },
    /** What the token endpoint hands out: the token the server accepts now. */
    issue() {
      return accepted
    },
    /** From now on, every send waits until `release()`: requests stay in flight inside axios. */
    hold() {
      let release
      gate = { promise: new Promise((resolve) => (release = resolve)), release }
    },
    release() {
      gate?.release()
      gate = undefined
    },
    adapter(config) {
      server.sends++
      const answer = () => {
        // Read by every contender, the open baseline included, so that all pay the same server cost.
        const authorization = config.headers.get('Authorization')
        if (authorization === acceptedHeader || open) {
          if (track) server.lastSendAt = performance.now()
          return { data: { ok: true }, status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' }, config, request: {} }
        }
        server.unauthorized++
        const response = { data: { error: 'invalid_token' }, status: 401, statusText: 'Unauthorized', headers: { 'content-type': 'application/json' }, config, request: {} }
        throw new AxiosError('Request failed with status code 401', AxiosError.ERR_BAD_REQUEST, config, response.request, response)
      }
      if (gate) return gate.promise.then(answer)
      if (spreadMs > 0) return new Promise((resolve) => setTimeout(resolve, server.sends % spreadMs)).then(answer)
      try {
        return Promise.resolve(answer())
      } catch (error) {
        return Promise.reject(error)
      }
    },
  }
  return server
}
