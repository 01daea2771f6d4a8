// @ts-check
/**
 * A small but real auth API for the demos and the browser/chaos tests: HS256 JWT access tokens,
 * rotating refresh tokens with reuse detection, Bearer-protected /api routes, fault injection and
 * optional static files. Node built-ins only; all state lives inside one startAuthApi() call.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { readFile, realpath, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, isAbsolute, join, relative } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'

/** @typedef {import('./auth-api.d.mts').AuthApi} AuthApi */
/** @typedef {import('./auth-api.d.mts').AuthApiControl} AuthApiControl */
/** @typedef {import('./auth-api.d.mts').AuthApiEventType} AuthApiEventType */
/** @typedef {import('./auth-api.d.mts').AuthApiOptions} AuthApiOptions */
/** @typedef {import('./auth-api.d.mts').AuthApiStats} AuthApiStats */
/** @typedef {import('./auth-api.d.mts').AuthApiTokenResponse} AuthApiTokenResponse */
/** @typedef {import('./auth-api.d.mts').RefreshFailureKind} RefreshFailureKind */
/** @typedef {import('node:http').IncomingMessage} Request */
/** @typedef {import('node:http').ServerResponse} Response */

const MAX_EVENTS = 500
/** Visitors whose counters are kept; the oldest is forgotten beyond that. */
const MAX_VISITORS = 200
/** The request header naming the visitor (one page load) a request belongs to. */
const VISITOR_HEADER = 'x-demo-visitor'
/** How far past the latest `exp` expireAccessTokens() moves the clock: beyond the `Date` header's rounding and the client's 1.5 s tolerance. */
const EXPIRY_MARGIN_MS = 2000
const MAX_BODY_BYTES = 1024 * 1024
/** @type {readonly string[]} */
const FAILURE_KINDS = Object.freeze(['invalid_grant', 'server_error', 'hang', 'reset'])
/** @type {Readonly<Record<string, string>>} */
const CONTENT_TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
  '.png': 'image/png', '.svg': 'image/svg+xml',
})

/** The numeric part of the stats, all zero; used at start and by reset(). */
/** @returns {import('./auth-api.d.mts').AuthApiCounters} */
const zeroCounters = () => ({ logins: 0, refreshCalls: 0, refreshSuccesses: 0, spentRefreshPresented: 0, apiRequests: 0, apiSuccesses: 0, api401: 0 })

/** Thrown by handlers to answer with a JSON `{ error }` body. */
class HttpError extends Error {
  /** @param {number} status @param {string} code */
  constructor(status, code) {
    super(code)
    this.status = status
    this.code = code
  }
}

/** @param {string} data */
const base64url = (data) => Buffer.from(data).toString('base64url')

/** @param {Buffer} secret @param {Record<string, unknown>} claims */
function signJwt(secret, claims) {
  const unsigned = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}

/**
 * Returns the claims of a token this server signed, or undefined. Expiry is the caller's job (it owns the clock).
 * The header needs no check: a valid signature means we wrote it.
 * @param {Buffer} secret @param {string} token
 * @returns {{ jti: string, exp: number } | undefined}
 */
function verifyJwt(secret, token) {
  const [header, payload, signature, ...extra] = token.split('.')
  if (!header || !payload || !signature || extra.length > 0) return undefined
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest()
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
}

/** @param {Request} req @returns {Promise<any>} the parsed JSON body, or null when empty */
async function readJson(req) {
  /** @type {Buffer[]} */
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'payload_too_large')
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return null
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError(400, 'invalid_request')
  }
}

/** @param {any} body accepts both the camelCase and the OAuth spelling */
const refreshTokenOf = (body) => body?.refreshToken ?? body?.refresh_token

/** Enough of a token to tell tokens apart in the event log without leaking them. @param {unknown} token */
const shortToken = (token) => (typeof token === 'string' ? `${token.slice(0, 8)}…` : 'none')

/** @param {string} segment */
function decodePath(segment) {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new HttpError(400, 'invalid_request')
  }
}

/** @param {Response} res @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

/** Headers every response carries; CORS is wide open because browser demos run on other origins. */
function setCommonHeaders(/** @type {Request} */ req, /** @type {Response} */ res, /** @type {number} */ nowMs) {
  // Date comes from the injected clock so clients see the same time the tokens were stamped with.
  res.setHeader('Date', new Date(nowMs).toUTCString())
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*')
  res.setHeader('Vary', 'Origin')
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
  res.setHeader('Access-Control-Allow-Headers', `authorization, content-type, x-request-id, dpop, ${VISITOR_HEADER}`)
  res.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate, Date, DPoP-Nonce')
}

/** @param {AuthApiOptions} [options] @returns {Promise<AuthApi>} */
export async function startAuthApi({ host = '127.0.0.1', port = 0, accessTtlSeconds = 5, staticDir, now: clockNow = Date.now } = {}) {
  /** How far expireAccessTokens() has moved this server's clock ahead of `now`. */
  let clockAheadMs = 0
  /** The server's time: what it stamps tokens with, checks them against, and sends as `Date`. */
  const now = () => clockNow() + clockAheadMs
  const secret = randomBytes(32)
  /** One family per login; revoking it kills every refresh and access token from that login. @type {Map<string, { sub: string, revoked: boolean }>} */
  const families = new Map()
  /** Spent tokens stay here so that presenting one again is recognised as reuse. @type {Map<string, { familyId: string, spent: boolean }>} */
  const refreshTokens = new Map()
  /**
   * Access tokens still honoured, by jti; revoking their family or their expiry by the server's clock outlaws them.
   * @type {Map<string, { familyId: string, exp: number }>}
   */
  const liveAccessTokens = new Map()
  /** @type {RefreshFailureKind[]} */
  const queuedFailures = []
  let refreshDelayMs = 0
  const closing = new AbortController()
  // Resolved once, so symlinks inside the directory are compared against its real location.
  const staticRoot = staticDir === undefined ? undefined : await realpath(staticDir)

  /** @type {AuthApiStats} */
  const stats = { ...zeroCounters(), requestIds: new Map(), events: [] }
  /** Each visitor's own counters (a page load sends its id in x-demo-visitor), in order of first request. @type {Map<string, ReturnType<typeof zeroCounters>>} */
  const visitors = new Map()

  /**
   * Counts one occurrence in the server-wide stats and in the counters of the request's visitor.
   * @param {Request} req @param {keyof ReturnType<typeof zeroCounters>} name
   */
  function count(req, name) {
    stats[name]++
    const visitor = req.headers[VISITOR_HEADER]
    if (typeof visitor !== 'string' || visitor === '') return
    let counters = visitors.get(visitor)
    if (!counters) {
      counters = zeroCounters()
      visitors.set(visitor, counters)
      if (visitors.size > MAX_VISITORS) visitors.delete(visitors.keys().next().value ?? '')
    }
    counters[name]++
  }

  /** @param {AuthApiEventType} type @param {string} detail */
  function record(type, detail) {
    stats.events.push({ at: now(), type, detail })
    if (stats.events.length > MAX_EVENTS) stats.events.splice(0, stats.events.length - MAX_EVENTS)
  }

  /** @param {string} familyId @param {string} reason */
  function revokeFamily(familyId, reason) {
    const family = families.get(familyId)
    if (!family || family.revoked) return
    family.revoked = true
    record('revoked', `${family.sub}: ${reason}`)
  }

  /** @param {string} familyId @returns {AuthApiTokenResponse} */
  function issueTokens(familyId) {
    const nowMs = now()
    // Forget tokens that expired on their own, so long demo and chaos runs do not grow the map.
    for (const [jti, token] of liveAccessTokens) if (token.exp * 1000 <= nowMs) liveAccessTokens.delete(jti)
    const iat = Math.floor(nowMs / 1000)
    const exp = iat + accessTtlSeconds
    const jti = randomUUID()
    liveAccessTokens.set(jti, { familyId, exp })
    const refreshToken = randomBytes(32).toString('base64url')
    refreshTokens.set(refreshToken, { familyId, spent: false })
    const accessToken = signJwt(secret, { sub: families.get(familyId)?.sub, iat, exp, jti, scope: 'items:read' })
    return { access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expires_in: accessTtlSeconds }
  }

  /**
   * Why an Authorization header does not grant access: undefined when it does,
   * `{}` when it is missing, `{ description }` when the token is bad.
   * @param {string | undefined} authorization @returns {{ description?: string } | undefined}
   */
  function authorizationProblem(authorization) {
    if (!authorization) return {}
    const token = /^Bearer +(\S+)$/i.exec(authorization)?.[1]
    if (!token) return { description: 'The Authorization header is not a Bearer token' }
    const claims = verifyJwt(secret, token)
    if (!claims) return { description: 'The access token is malformed or its signature is invalid' }
    const live = liveAccessTokens.get(claims.jti)
    if (!live || now() >= claims.exp * 1000) return { description: 'The access token expired' }
    if (families.get(live.familyId)?.revoked) return { description: 'The access token was revoked' }
    return undefined
  }

  /** @param {Request} req @param {Response} res */
  async function handleLogin(req, res) {
    const { username, password } = (await readJson(req)) ?? {}
    if (typeof username !== 'string' || !username || typeof password !== 'string' || !password) throw new HttpError(400, 'invalid_request')
    const familyId = randomUUID()
    families.set(familyId, { sub: username, revoked: false })
    count(req, 'logins')
    record('login', username)
    sendJson(res, 200, issueTokens(familyId))
  }

  /** @param {Request} req @param {Response} res */
  async function handleRefresh(req, res) {
    count(req, 'refreshCalls')
    const presented = refreshTokenOf(await readJson(req))
    // Taken on arrival, so "next" means the next refresh to reach the server, whatever the delay.
    const failure = queuedFailures.shift()
    if (refreshDelayMs > 0) await delay(refreshDelayMs, undefined, { signal: closing.signal })
    // A client that went away during the delay (its tab closed) never learns the answer: like a
    // server that checks for aborted requests, do not spend its refresh token.
    if (req.socket.destroyed) return void record('refresh-failure', `abandoned by the client (token ${shortToken(presented)})`)
    if (failure) {
      // Injected failures leave the presented token unspent, so a client may retry with it.
      record('refresh-failure', `${failure} (token ${shortToken(presented)})`)
      if (failure === 'hang') return // Never answered: close() destroys the socket.
      if (failure === 'reset') return void req.socket.destroy()
      return sendJson(res, failure === 'server_error' ? 500 : 400, { error: failure })
    }
    if (typeof presented !== 'string' || !presented) throw new HttpError(400, 'invalid_request')
    const token = refreshTokens.get(presented)
    const family = token && families.get(token.familyId)
    /** @param {string} why */
    const invalidGrant = (why) => {
      record('invalid_grant', `${why} (token ${shortToken(presented)})`)
      sendJson(res, 400, { error: 'invalid_grant' })
    }
    if (!token || !family) return invalidGrant('unknown refresh token')
    if (token.spent) {
      // Reuse means a copy of the token leaked or a client raced itself: kill the whole family (OAuth security BCP).
      count(req, 'spentRefreshPresented')
      record('reuse', `spent refresh token presented for ${family.sub}`)
      revokeFamily(token.familyId, 'refresh token reuse')
      return invalidGrant('spent refresh token')
    }
    if (family.revoked) return invalidGrant('revoked refresh token')
    token.spent = true
    count(req, 'refreshSuccesses')
    record('refresh', `${family.sub}: ${shortToken(presented)} rotated`)
    sendJson(res, 200, issueTokens(token.familyId))
  }

  /** @param {Request} req @param {Response} res */
  async function handleLogout(req, res) {
    const token = refreshTokens.get(refreshTokenOf(await readJson(req)))
    if (token) revokeFamily(token.familyId, 'logout')
    record('logout', token ? 'family revoked' : 'unknown refresh token')
    res.writeHead(204).end()
  }

  /** @param {Request} req @param {Response} res @param {string} pathname */
  async function handleApi(req, res, pathname) {
    count(req, 'apiRequests')
    const problem = authorizationProblem(req.headers.authorization)
    if (problem) {
      count(req, 'api401')
      record('401', `${req.method} ${pathname}: ${problem.description ?? 'no token'}`)
      if (problem.description === undefined) return sendJson(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer realm="demo"' })
      const challenge = `Bearer realm="demo", error="invalid_token", error_description="${problem.description}"`
      return sendJson(res, 401, { error: 'invalid_token', error_description: problem.description }, { 'WWW-Authenticate': challenge })
    }
    const itemId = /^\/api\/items\/([^/]+)$/.exec(pathname)?.[1]
    /** @type {unknown} */
    let body
    if (req.method === 'POST') body = { received: await readJson(req) }
    else if (req.method === 'GET' && itemId !== undefined) body = { id: decodePath(itemId), at: now() }
    else throw new HttpError(404, 'not_found')
    const requestId = req.headers['x-request-id']
    count(req, 'apiSuccesses')
    if (typeof requestId === 'string') stats.requestIds.set(requestId, (stats.requestIds.get(requestId) ?? 0) + 1)
    record('success', `${req.method} ${pathname}${typeof requestId === 'string' ? ` [${requestId}]` : ''}`)
    sendJson(res, 200, body)
  }

  /** @type {AuthApiControl} */
  const control = {
    expireAccessTokens() {
      // A real expiry: the clock moves past the latest exp, and the Date header tells clients so.
      // Tokens issued afterwards are stamped on the moved clock and live their full lifetime.
      let latestExpMs = -Infinity
      for (const token of liveAccessTokens.values()) latestExpMs = Math.max(latestExpMs, token.exp * 1000)
      const aheadMs = latestExpMs - now() + EXPIRY_MARGIN_MS
      if (aheadMs > 0) clockAheadMs += aheadMs
      record('control', `access tokens expired: the server's clock moved ${Math.max(aheadMs, 0)} ms ahead`)
    },
    revokeAll() {
      for (const familyId of families.keys()) revokeFamily(familyId, 'revokeAll')
      record('control', 'all families revoked')
    },
    failNextRefresh(kind) {
      if (!FAILURE_KINDS.includes(kind)) throw new RangeError(`Unknown refresh failure kind: ${String(kind)}`)
      queuedFailures.push(kind)
      record('control', `next refresh fails: ${kind}`)
    },
    countersOf(visitor) {
      return { ...(visitors.get(visitor) ?? zeroCounters()) }
    },
    setRefreshDelay(ms) {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new RangeError(`Invalid refresh delay: ${String(ms)}`)
      refreshDelayMs = ms
      record('control', `refresh delay ${ms} ms`)
    },
    reset() {
      // Cleared in place: callers hold on to `stats` and its Map/array.
      Object.assign(stats, zeroCounters())
      visitors.clear()
      stats.requestIds.clear()
      stats.events.length = 0
      queuedFailures.length = 0
      refreshDelayMs = 0
    },
  }

  /** The same levers over HTTP, for the browser demo's buttons. @param {Request} req @param {Response} res @param {string} name */
  async function handleControl(req, res, name) {
    if (req.method === 'GET' && name === 'stats') return sendJson(res, 200, { ...stats, requestIds: Object.fromEntries(stats.requestIds) })
    // One visitor's counters: a visitor the server has not seen yet has all of them at zero.
    if (req.method === 'GET' && name.startsWith('stats/')) return sendJson(res, 200, control.countersOf(decodePath(name.slice('stats/'.length))))
    if (req.method !== 'POST') throw new HttpError(404, 'not_found')
    const body = (await readJson(req)) ?? {}
    try {
      if (name === 'expireAccessTokens') control.expireAccessTokens()
      else if (name === 'revokeAll') control.revokeAll()
      else if (name === 'failNextRefresh') control.failNextRefresh(body.kind)
      else if (name === 'setRefreshDelay') control.setRefreshDelay(body.ms)
      else if (name === 'reset') control.reset()
      else throw new HttpError(404, 'not_found')
    } catch (error) {
      throw error instanceof RangeError ? new HttpError(400, 'invalid_request') : error
    }
    res.writeHead(204).end()
  }

  /** @param {Response} res @param {string} pathname */
  async function serveStatic(res, pathname) {
    if (staticRoot === undefined) throw new HttpError(404, 'not_found')
    const decoded = decodePath(pathname)
    const requested = join(staticRoot, decoded.endsWith('/') ? `${decoded}index.html` : decoded)
    // realpath resolves both "../" and symlinks, so the containment check sees where the file really is.
    const file = await realpath(requested).catch(() => undefined)
    const inside = file !== undefined && !relative(staticRoot, file).startsWith('..') && !isAbsolute(relative(staticRoot, file))
    if (!file || !inside || !(await stat(file)).isFile()) throw new HttpError(404, 'not_found')
    const content = await readFile(file)
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': content.length })
    res.end(content)
  }

  /** @param {Request} req @param {Response} res */
  async function route(req, res) {
    setCommonHeaders(req, res, now())
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    const { pathname } = new URL(req.url ?? '/', 'http://localhost')
    if (req.method === 'POST' && pathname === '/auth/login') return handleLogin(req, res)
    if (req.method === 'POST' && pathname === '/auth/refresh') return handleRefresh(req, res)
    if (req.method === 'POST' && pathname === '/auth/logout') return handleLogout(req, res)
    if (pathname.startsWith('/control/')) return handleControl(req, res, pathname.slice('/control/'.length))
    if (pathname.startsWith('/api/')) return handleApi(req, res, pathname)
    if (req.method === 'GET' || req.method === 'HEAD') return serveStatic(res, pathname)
    throw new HttpError(404, 'not_found')
  }

  const server = createServer((req, res) => {
    route(req, res).catch((/** @type {unknown} */ error) => {
      // After close() or a client abort the socket is gone and there is nobody to answer.
      if (closing.signal.aborted || req.socket.destroyed) return
      if (res.headersSent) return void res.destroy()
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.code })
      record('error', String(error))
      sendJson(res, 500, { error: 'server_error' })
    })
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(undefined)
    })
  })
  const address = server.address()
  const boundPort = typeof address === 'object' && address ? address.port : port
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`

  /** @type {Promise<void> | undefined} */
  let closed
  function close() {
    closed ??= new Promise((resolve) => {
      closing.abort() // cancels pending refresh delays
      server.close(() => resolve())
      // Also drop busy sockets (hung refreshes, keep-alive), or close would wait for them forever.
      server.closeAllConnections()
    })
    return closed
  }

  return { url, close, stats, control }
}
