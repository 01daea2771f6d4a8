/**
 * The soak, run in its own `node --expose-gc` process by soak.test.ts (bundled from source first):
 * many requests through one client and an in-memory adapter, with an expiry every EXPIRE_EVERY
 * requests, failing and hanging refreshes, and aborts. Prints one JSON line with what it measured.
 *
 * Environment: SOAK_REQUESTS (default 100000), SOAK_SEED (default 1), SOAK_RETAIN=1 keeps every
 * response on purpose (a leak), to show that the heap check catches one.
 */
import { getEventListeners, setMaxListeners } from 'node:events'
import axios, { AxiosError, CanceledError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import { createAuthClient, isReauthError, type RefreshContext, type RefreshResult } from 'axios-reauth'
import { chance, mulberry32 } from '../helpers/fault-server'
import { createCountingClock } from './counting-clock'

const TOTAL = Number(process.env.SOAK_REQUESTS ?? 100_000)
const SEED = Number(process.env.SOAK_SEED ?? 1)
const RETAIN = process.env.SOAK_RETAIN === '1'
const WARMUP = 5_000
/** Requests issued per event-loop turn, whatever is still pending: some arrive during a refresh and are held. */
const PER_TURN = 16
const MAX_IN_FLIGHT = 256
const EXPIRE_EVERY = 1_000
const REFRESH_TIMEOUT_MS = 50

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc')

const rng = mulberry32(SEED)
const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

// The in-memory server: a live set of access tokens, rotating refresh tokens.
const live = new Set<string>()
const spent = new Set<string>()
let issued = 0
const counts = { expiries: 0, refreshCalls: 0, transient: 0, hangs: 0, cutOff: 0, spentPresented: 0, issuedWhileRefreshing: 0 }
const issue = () => {
  issued += 1
  const tokens = { accessToken: `soak-at-${issued}`, refreshToken: `soak-rt-${issued}` }
  live.clear()
  live.add(tokens.accessToken)
  return tokens
}

const refresh = async ({ refreshToken, signal }: RefreshContext): Promise<RefreshResult> => {
  counts.refreshCalls += 1
  if (refreshToken === undefined || spent.has(refreshToken)) {
    counts.spentPresented += 1
    throw new AxiosError('invalid_grant', 'ERR_BAD_REQUEST', undefined, undefined, { status: 400 } as AxiosResponse)
  }
  for (let turn = 0; turn < 3; turn++) await tick()
  // Like a token endpoint that sees the client hang up: no rotation for a call nobody waits for.
  // On a busy machine three turns can outlast refreshTimeoutMs: a transient failure like any other.
  if (signal.aborted) counts.cutOff += 1
  signal.throwIfAborted()
  const roll = counts.refreshCalls % 10
  if (roll === 3) {
    counts.transient += 1
    throw new AxiosError('server_error', 'ERR_BAD_RESPONSE', undefined, undefined, { status: 503 } as AxiosResponse)
  }
  if (roll === 7) {
    // Hangs until the library's timeout aborts it.
    counts.hangs += 1
    return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))
  }
  spent.add(refreshToken)
  return issue()
}

const adapter: AxiosAdapter = (config: InternalAxiosRequestConfig) =>
  new Promise<AxiosResponse>((resolve, reject) => {
    const signal = config.signal as AbortSignal | undefined
    const token = String(config.headers.get('Authorization') ?? '').replace(/^Bearer /, '')
    const onAbort = () => reject(new CanceledError(undefined, config))
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
    setImmediate(() => {
      signal?.removeEventListener('abort', onAbort)
      if (signal?.aborted) return
      const response: AxiosResponse = { data: { ok: true }, status: 200, statusText: 'OK', headers: {}, config, request: {} }
      if (live.has(token)) return resolve(response)
      reject(new AxiosError('Request failed with status code 401', 'ERR_BAD_REQUEST', config, {}, { ...response, status: 401, statusText: 'Unauthorized', data: {} }))
    })
  })

const clock = createCountingClock()
const unhandled: string[] = []
process.on('unhandledRejection', (reason) => unhandled.push(String(reason)))
const auth = createAuthClient({ refresh, tokens: issue(), clock, refreshTimeoutMs: REFRESH_TIMEOUT_MS, logger: { debug() {}, warn() {} } })
const api = axios.create({ baseURL: 'https://soak.test', adapter })
auth.attach(api)
const longLived = new AbortController()
setMaxListeners(MAX_IN_FLIGHT * 4, longLived.signal)

const outcomes = { fulfilled: 0, canceled: 0, refreshFailed: 0, unexpected: 0, examples: [] as string[] }
const retained: unknown[] = []
let next = 0

async function one(index: number) {
  if (index % EXPIRE_EVERY === 0) {
    counts.expiries += 1
    live.clear()
  }
  if (auth.status === 'refreshing') counts.issuedWhileRefreshing += 1
  const aborts = chance(rng, 0.01)
  const controller = aborts ? new AbortController() : undefined
  const signal = controller?.signal ?? (chance(rng, 0.5) ? longLived.signal : undefined)
  if (controller) void tick().then(() => controller.abort())
  try {
    const response = await api.get(`/items/${index}`, { signal })
    outcomes.fulfilled += 1
    if (RETAIN) retained.push(response)
  } catch (error) {
    if (axios.isCancel(error) && aborts) outcomes.canceled += 1
    else if (isReauthError(error) && error.code === 'refresh-failed') outcomes.refreshFailed += 1
    else {
      outcomes.unexpected += 1
      if (outcomes.examples.length < 10) outcomes.examples.push(`${(error as Error).name}: ${(error as Error).message}`)
    }
  }
}

/** Issues requests open-loop (PER_TURN per turn, at most MAX_IN_FLIGHT pending) until `until`, then waits for all. */
function drive(until: number): Promise<void> {
  let inFlight = 0
  return new Promise((resolve) => {
    const pump = () => {
      for (let k = 0; k < PER_TURN && inFlight < MAX_IN_FLIGHT && next < until; k++) {
        inFlight += 1
        void one(next++).finally(() => {
          inFlight -= 1
          if (next >= until && inFlight === 0) resolve()
        })
      }
      if (next < until) setImmediate(pump)
    }
    pump()
  })
}

async function settle() {
  // A hung refresh ends by its timeout; then let every callback and timer run out.
  for (let i = 0; i < 200 && auth.status === 'refreshing'; i++) await new Promise((resolve) => setTimeout(resolve, 5))
  for (let i = 0; i < 5; i++) await tick()
  for (let i = 0; i < 3; i++) {
    gc!()
    await tick()
  }
}

const resourcesOf = () => process.getActiveResourcesInfo().sort().join(',')

async function main() {
  // The library's timers are unref'd and the hung refresh holds no socket: keep the process up meanwhile.
  const keepAlive = setInterval(() => {}, 1_000)
  await drive(WARMUP)
  await settle()
  const heapBefore = process.memoryUsage().heapUsed
  const resourcesBefore = resourcesOf()
  const started = performance.now()
  await drive(WARMUP + TOTAL)
  const elapsedMs = performance.now() - started
  await settle()
  const heapAfter = process.memoryUsage().heapUsed
  const result = {
    requests: next - WARMUP,
    issued: next,
    settled: outcomes.fulfilled + outcomes.canceled + outcomes.refreshFailed + outcomes.unexpected,
    elapsedMs,
    heapGrowthBytes: heapAfter - heapBefore,
    resourcesBefore,
    resourcesAfter: resourcesOf(),
    pendingTimers: clock.pendingTimers,
    longLivedListeners: getEventListeners(longLived.signal, 'abort').length,
    status: auth.status,
    unhandled,
    outcomes,
    counts,
    retained: retained.length,
  }
  clearInterval(keepAlive)
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

let finished = false
process.on('exit', () => {
  // The event loop ran dry while main() still awaited something: a promise that never settles.
  if (!finished) process.stderr.write(`the event loop emptied after ${next} requests were issued: something never settled\n`)
  if (!finished) process.exitCode = 1
})

main()
  .catch((error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`)
    process.exitCode = 1
  })
  .finally(() => (finished = true))
