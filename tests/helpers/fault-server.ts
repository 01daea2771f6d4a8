import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A small, fast seeded PRNG (mulberry32): the same seed always gives the same numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A PRNG for one decision of one run, derived from the seed and a key (FNV-1a). Decisions keyed
 * by what they are about (request id and attempt, refresh number) do not depend on the order in
 * which requests happen to arrive, so a seed replays the same faults whatever the timing.
 */
export function streamFor(seed: number, ...keys: Array<string | number>): () => number {
  let hash = 0x811c9dc5
  for (const char of `${seed}:${keys.join(':')}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193)
  return mulberry32(hash)
}

/** An integer in [min, max]. */
export const between = (rng: () => number, [min, max]: readonly [number, number]): number => min + Math.floor(rng() * (max - min + 1))

/** True with probability `p`. */
export const chance = (rng: () => number, p: number): boolean => rng() < p

/** A key of `weights`, drawn in proportion to its weight. */
export function weighted<K extends string>(rng: () => number, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as Array<[K, number]>
  let roll = rng() * entries.reduce((sum, [, weight]) => sum + weight, 0)
  for (const [key, weight] of entries) {
    roll -= weight
    if (roll < 0) return key
  }
  return entries[entries.length - 1]![0]
}

/** What the token endpoint does with one refresh call. */
export type RefreshFault = 'ok' | 'invalid_grant' | 'server_error' | 'reset' | 'hang'

/** How often each fault happens. Latencies are in ms, as inclusive ranges. */
export interface FaultProfile {
  /** Latency of an API or foreign response. */
  latencyMs: readonly [number, number]
  /** Share of responses that are slow: a 401 for an old token then arrives after the refresh (a late 401). */
  slowRate: number
  slowLatencyMs: readonly [number, number]
  /** Share of first attempts answered 401 although the token is valid (a token the server stopped trusting). */
  spurious401Rate: number
  /** Share of authorized requests answered with a non-401 error status (500, 503, 404, 403). */
  errorStatusRate: number
  /** Share of API requests whose connection is reset instead of answered. */
  resetRate: number
  refreshLatencyMs: readonly [number, number]
  /** Relative weights of the refresh outcomes. */
  refreshFaults: Readonly<Record<RefreshFault, number>>
  /** Share of foreign-origin requests answered 401 with a Bearer challenge (bait for a refresh). */
  foreign401Rate: number
  /**
   * Lifetime of access tokens. Below an hour, tokens come with `expiresAt` (epoch ms) so clients
   * can refresh ahead of expiry; otherwise only the JWT's `exp` says when they end.
   */
  accessLifetimeMs: number
}

export const defaultFaultProfile: FaultProfile = {
  latencyMs: [0, 20],
  slowRate: 0.1,
  slowLatencyMs: [25, 60],
  spurious401Rate: 0.03,
  errorStatusRate: 0.04,
  resetRate: 0.02,
  refreshLatencyMs: [0, 20],
  refreshFaults: { ok: 6, invalid_grant: 1, server_error: 1, reset: 1, hang: 1 },
  foreign401Rate: 0.3,
  accessLifetimeMs: 3_600_000,
}

/** How the server answered one arrival of a request id. */
export type ArrivalOutcome = 'success' | '401' | 'spurious-401' | 'error-status' | 'reset' | 'client-gone'

export interface Arrival {
  attempt: number
  /** The Authorization header as received. */
  authorization: string | undefined
  outcome: ArrivalOutcome | 'pending'
  status?: number
}

export interface RefreshRecord {
  /** 1 for the first refresh call that reached the server. */
  n: number
  fault: RefreshFault
  presented: string | undefined
  /** `gone`: the client hung up before the answer (its refresh token was not spent). */
  result: 'pending' | 'rotated' | 'fault' | 'gone' | 'invalid_grant' | 'spent' | 'unknown'
  /** The client's own number for this call (its `x-refresh-call` header), to find its side of the story. */
  call: number | undefined
  /** When the request arrived, on the server's clock (`performance.now()` unless `now` is given). */
  receivedAt: number
}

/** A refresh token presented again after the server had rotated it. */
export interface SpentPresentation {
  token: string
  /** The server's number of the refresh call that presented it (`RefreshRecord.n`). */
  refresh: number
  /** The client's number for that call (`x-refresh-call`), when it sent one. */
  call: number | undefined
  /** When that call arrived, on the server's clock. */
  receivedAt: number
  /** When the server rotated the token (the first presentation), on the same clock. */
  rotatedAt: number
}

export interface FaultServerStats {
  /** By `x-request-id`: every arrival at the API origin, in order. */
  arrivals: Map<string, Arrival[]>
  /** By `x-request-id`: 2xx responses the server wrote while the client was still connected. */
  successes: Map<string, number>
  refreshes: RefreshRecord[]
  /**
   * Refresh tokens presented again after they were rotated, with when. Whether that is the
   * client's fault depends on the order of events (see the chaos oracle), so the times are kept.
   */
  spentRefreshPresented: SpentPresentation[]
  /** 401s served although the token was valid. */
  spurious401Served: number
  /** Request ids whose POST body did not name the request it came with. */
  bodyMismatches: string[]
  foreign: {
    /** By `x-request-id`: arrivals at the foreign origin. */
    arrivals: Map<string, number>
    /** Every Authorization header that reached the foreign origin (should stay empty). */
    authorizations: string[]
  }
  expiries: number
  logins: number
  /** Every access token issued (logins and refreshes), with when it was issued and when it ends, in epoch ms. */
  issued: Array<{ at: number; expiresAt: number }>
}

/** Tokens as a login hands them to the client; `expiresAt` only for short-lived tokens. */
export interface IssuedTokens {
  accessToken: string
  refreshToken: string
  expiresAt?: number
}

export interface FaultServer {
  /** The API origin: `/api/*` (Bearer-protected) and `POST /auth/refresh`. */
  readonly url: string
  /** Another origin (another port) that records whether a token ever reached it. */
  readonly foreignUrl: string
  readonly stats: FaultServerStats
  /** Every access token issued so far stops working (an expiry episode). */
  expire(): void
  /** A fresh login: a new token family, as after the user signs in again. */
  login(): IssuedTokens
  /**
   * Resolves true once no request is being handled, false if that takes longer than `timeoutMs`,
   * counted in 10 ms turns of the event loop so that a stalled machine gets as many as an idle one.
   */
  whenIdle(timeoutMs: number): Promise<boolean>
  /** Closes both origins and every open socket (hung refreshes included). */
  close(): Promise<void>
}

const base64url = (value: string) => Buffer.from(value).toString('base64url')

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined
  } catch {
    return undefined
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** Tracks whether the client hung up before the response was written. */
function watchClient(res: ServerResponse) {
  let gone = false
  res.on('close', () => {
    if (!res.writableEnded) gone = true
  })
  return () => gone || res.destroyed
}

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve())

/**
 * Starts a faulty auth API and a foreign origin on 127.0.0.1, both on real sockets. Access tokens
 * are unsigned JWTs living `accessLifetimeMs` (an hour by default, so clients never refresh ahead
 * of time); the server alone decides which are live. Refresh tokens rotate, and presenting a
 * spent one is recorded (and, as OAuth's reuse detection does, revokes its family). Every fault is
 * drawn from `seed`; `trace` receives one line per answer, for failure reports. Times are read
 * from `now`, by default `performance.now()`: the clock a client in the same process reads, so
 * that the server's record of a refresh call can be put in order with the client's events.
 */
export async function startFaultServer(
  seed: number,
  overrides: Partial<FaultProfile> = {},
  trace: (line: string) => void = () => {},
  now: () => number = () => performance.now(),
): Promise<FaultServer> {
  const profile = { ...defaultFaultProfile, ...overrides }
  const stats: FaultServerStats = {
    arrivals: new Map(),
    successes: new Map(),
    refreshes: [],
    spentRefreshPresented: [],
    spurious401Served: 0,
    bodyMismatches: [],
    foreign: { arrivals: new Map(), authorizations: [] },
    expiries: 0,
    logins: 0,
    issued: [],
  }
  const families = new Map<number, { revoked: boolean }>()
  const liveAccess = new Map<string, { family: number; expiresAt: number }>()
  const shortLived = profile.accessLifetimeMs < 3_600_000
  const refreshTokens = new Map<string, { family: number; spent: boolean; rotatedAt?: number }>()
  let issued = 0
  let active = 0
  let idleWaiters: Array<() => void> = []

  const issue = (family: number): IssuedTokens => {
    issued += 1
    const at = Date.now()
    const expiresAt = at + profile.accessLifetimeMs
    stats.issued.push({ at, expiresAt })
    const claims = { sub: 'chaos', jti: `${seed}.${issued}`, iat: Math.floor(at / 1000), exp: Math.ceil(expiresAt / 1000) }
    const accessToken = `${base64url('{"alg":"none","typ":"JWT"}')}.${base64url(JSON.stringify(claims))}.chaos`
    const refreshToken = `chaos-rt-${seed}-${issued}-${Math.floor(streamFor(seed, 'rt', issued)() * 1e9).toString(36)}`
    liveAccess.set(accessToken, { family, expiresAt })
    refreshTokens.set(refreshToken, { family, spent: false })
    return shortLived ? { accessToken, refreshToken, expiresAt } : { accessToken, refreshToken }
  }

  const isLive = (authorization: string | undefined) => {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1]
    const live = token === undefined ? undefined : liveAccess.get(token)
    return live !== undefined && Date.now() < live.expiresAt && !families.get(live.family)?.revoked
  }

  const revoke = (family: number) => {
    const entry = families.get(family)
    if (entry) entry.revoked = true
  }

  const track = (res: ServerResponse) => {
    active += 1
    res.on('close', () => {
      active -= 1
      if (active === 0) {
        const waiters = idleWaiters
        idleWaiters = []
        for (const resolve of waiters) resolve()
      }
    })
  }

  const challenge = (authorization: string | undefined) =>
    authorization ? 'Bearer realm="chaos", error="invalid_token"' : 'Bearer realm="chaos"'

  async function handleApi(req: IncomingMessage, res: ServerResponse, id: string) {
    const list = stats.arrivals.get(id) ?? []
    stats.arrivals.set(id, list)
    const arrival: Arrival = { attempt: list.length + 1, authorization: req.headers.authorization, outcome: 'pending' }
    list.push(arrival)
    try {
      await answerApi(req, res, id, arrival)
    } finally {
      const status = arrival.status !== undefined && arrival.outcome !== '401' ? ` (${arrival.status})` : ''
      trace(`server: #${id} attempt ${arrival.attempt} → ${arrival.outcome}${status}`)
    }
  }

  async function answerApi(req: IncomingMessage, res: ServerResponse, id: string, arrival: Arrival) {
    const isGone = watchClient(res)
    const { authorization } = arrival
    let body: unknown
    try {
      body = req.method === 'POST' ? parseJson(await readBody(req)) : undefined
    } catch {
      // The client hung up while sending its body.
      return void (arrival.outcome = 'client-gone')
    }
    if (req.method === 'POST' && (body as { id?: unknown } | undefined)?.id !== id) stats.bodyMismatches.push(id)
    const rng = streamFor(seed, 'api', id, arrival.attempt)
    const slow = chance(rng, profile.slowRate)
    const latency = between(rng, slow ? profile.slowLatencyMs : profile.latencyMs)
    const reset = chance(rng, profile.resetRate)
    const spurious = arrival.attempt === 1 && chance(rng, profile.spurious401Rate)
    const errorStatus = chance(rng, profile.errorStatusRate) ? [500, 503, 404, 403][between(rng, [0, 3])]! : undefined
    await sleep(latency)
    // The token is judged when the answer is written: a slow request sent with a token that
    // expired meanwhile gets its 401 late, possibly after the client already refreshed.
    if (isGone()) return void (arrival.outcome = 'client-gone')
    if (reset) {
      arrival.outcome = 'reset'
      return void req.socket.destroy()
    }
    if (!isLive(authorization) || spurious) {
      arrival.outcome = isLive(authorization) ? 'spurious-401' : '401'
      arrival.status = 401
      if (arrival.outcome === 'spurious-401') stats.spurious401Served += 1
      return sendJson(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': challenge(authorization) })
    }
    if (errorStatus !== undefined) {
      arrival.outcome = 'error-status'
      arrival.status = errorStatus
      return sendJson(res, errorStatus, { error: 'chaos', id })
    }
    arrival.outcome = 'success'
    arrival.status = 200
    stats.successes.set(id, (stats.successes.get(id) ?? 0) + 1)
    sendJson(res, 200, { id, attempt: arrival.attempt })
  }

  async function handleRefresh(req: IncomingMessage, res: ServerResponse) {
    const receivedAt = now()
    const header = Number(req.headers['x-refresh-call'])
    const call = Number.isInteger(header) && header > 0 ? header : undefined
    const presented = (parseJson(await readBody(req)) as { refreshToken?: string } | undefined)?.refreshToken
    const n = stats.refreshes.length + 1
    const record: RefreshRecord = { n, fault: weighted(streamFor(seed, 'refresh', n), profile.refreshFaults), presented, result: 'pending', call, receivedAt }
    stats.refreshes.push(record)
    try {
      await answerRefresh(req, res, record)
    } finally {
      trace(`server: refresh #${n} (${record.fault}) → ${record.result}`)
    }
  }

  async function answerRefresh(req: IncomingMessage, res: ServerResponse, record: RefreshRecord) {
    const isGone = watchClient(res)
    const { fault, presented } = record
    const latency = between(streamFor(seed, 'refresh-latency', record.n), profile.refreshLatencyMs)
    if (fault === 'hang') {
      // Never answered: the client's timeout aborts the call, or close() destroys the socket.
      record.result = 'fault'
      return
    }
    await sleep(latency)
    // A client that hung up never learns the answer: its refresh token must stay usable.
    if (isGone()) return void (record.result = 'gone')
    if (fault === 'reset') {
      record.result = 'fault'
      return void req.socket.destroy()
    }
    if (fault !== 'ok') {
      record.result = 'fault'
      return sendJson(res, fault === 'server_error' ? 500 : 400, { error: fault })
    }
    const token = presented === undefined ? undefined : refreshTokens.get(presented)
    if (!token) {
      record.result = 'unknown'
      return sendJson(res, 400, { error: 'invalid_grant' })
    }
    if (token.spent) {
      // Reuse means a client raced itself or a token leaked: revoke the whole family (OAuth BCP).
      record.result = 'spent'
      stats.spentRefreshPresented.push({ token: presented!, refresh: record.n, call: record.call, receivedAt: record.receivedAt, rotatedAt: token.rotatedAt ?? record.receivedAt })
      revoke(token.family)
      return sendJson(res, 400, { error: 'invalid_grant' })
    }
    if (families.get(token.family)?.revoked) {
      record.result = 'invalid_grant'
      return sendJson(res, 400, { error: 'invalid_grant' })
    }
    token.spent = true
    token.rotatedAt = now()
    record.result = 'rotated'
    const next = issue(token.family)
    sendJson(res, 200, { access_token: next.accessToken, refresh_token: next.refreshToken, expires_at: next.expiresAt, token_type: 'Bearer' })
  }

  async function handleForeign(req: IncomingMessage, res: ServerResponse, id: string) {
    const isGone = watchClient(res)
    stats.foreign.arrivals.set(id, (stats.foreign.arrivals.get(id) ?? 0) + 1)
    if (req.headers.authorization !== undefined) stats.foreign.authorizations.push(req.headers.authorization)
    await readBody(req)
    const rng = streamFor(seed, 'foreign', id)
    const latency = between(rng, profile.latencyMs)
    const unauthorized = chance(rng, profile.foreign401Rate)
    await sleep(latency)
    if (isGone()) return
    if (unauthorized) return sendJson(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer realm="foreign", error="invalid_token"' })
    sendJson(res, 200, { id, foreign: true })
  }

  const handle = (handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) => (req: IncomingMessage, res: ServerResponse) => {
    track(res)
    handler(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: 'server_error' })
    })
  }

  const api = createServer(
    handle(async (req, res) => {
      const { pathname } = new URL(req.url ?? '/', 'http://localhost')
      const id = String(req.headers['x-request-id'] ?? '')
      if (req.method === 'POST' && pathname === '/auth/refresh') return handleRefresh(req, res)
      if (pathname.startsWith('/api/')) return handleApi(req, res, id)
      sendJson(res, 404, { error: 'not_found' })
    }),
  )
  const foreign = createServer(
    handle((req, res) => handleForeign(req, res, String(req.headers['x-request-id'] ?? ''))),
  )

  const listen = (server: Server) =>
    new Promise<string>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
    })
  const [url, foreignUrl] = await Promise.all([listen(api), listen(foreign)])

  let closed: Promise<void> | undefined
  const closeServer = (server: Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })

  return {
    url,
    foreignUrl,
    stats,
    expire() {
      trace('server: every access token expires')
      stats.expiries += 1
      liveAccess.clear()
    },
    login() {
      stats.logins += 1
      const family = families.size + 1
      families.set(family, { revoked: false })
      return issue(family)
    },
    whenIdle(timeoutMs) {
      if (active === 0) return Promise.resolve(true)
      return new Promise<boolean>((resolve) => {
        let turns = Math.ceil(timeoutMs / 10)
        let timer: ReturnType<typeof setTimeout>
        const turn = () => {
          if (--turns <= 0) resolve(false)
          else timer = setTimeout(turn, 10)
        }
        timer = setTimeout(turn, 10)
        idleWaiters.push(() => {
          clearTimeout(timer)
          resolve(true)
        })
      })
    },
    close() {
      closed ??= Promise.all([closeServer(api), closeServer(foreign)]).then(() => undefined)
      return closed
    },
  }
}
