// 401 storms. Each scenario runs in rounds: one tinybench run per round, one iteration per
// contender, in an order that rotates from round to round. Ratios are taken within a round
// (paired) and the median over rounds is reported, so that load from other processes, which
// comes and goes over seconds, hits the baseline and the contenders alike. Every iteration
// builds a fresh client outside the timed call and starts after a full GC.
import { Bench } from 'tinybench'
import { contenders, withCandidate } from './contenders.mjs'
import { createMemoryServer } from './memory-server.mjs'
import { collectGarbage, median, settleMicrotasks } from './stats.mjs'

export const STORM_KEYS = withCandidate(['bare', 'floor', 'reauth', 'authRefresh', 'failedQueue'])

const fire = (instance, n) => {
  const pending = new Array(n)
  for (let i = 0; i < n; i++) pending[i] = instance.get('/items')
  return pending
}

const countRejected = (results) => results.reduce((count, result) => count + (result.status === 'rejected' ? 1 : 0), 0)

const rotate = (keys, round) => keys.map((_, index) => keys[(index + round) % keys.length])

/**
 * Runs `rounds` rounds of `measure(key, prepared)` for every key; `prepare(key)` runs untimed
 * before each call. Returns, per key, the list of records (one per measured round), and per
 * round the records of all keys (for paired ratios). The first `warmupRounds` are discarded.
 */
async function runRounds({ keys, rounds, warmupRounds, prepare, measure }) {
  const perRound = []
  for (let round = 0; round < rounds + warmupRounds; round++) {
    const bench = new Bench({ time: 0, iterations: 1, warmup: false, throws: true })
    const records = {}
    for (const key of rotate(keys, round)) {
      let prepared
      bench.add(key, async () => {
        records[key] = await measure(key, prepared)
      }, {
        async: true,
        beforeEach() {
          collectGarbage()
          prepared = prepare(key)
        },
        afterEach() {
          prepared = undefined
        },
      })
    }
    await bench.run()
    if (round >= warmupRounds) perRound.push(records)
  }
  return perRound
}

/** Medians of paired figures over rounds; correctness figures are the worst round's. */
function summarize(perRound, key, baseline) {
  const pick = (read) => median(perRound.map((records) => read(records[key], records[baseline], records.floor)))
  return {
    rounds: perRound.length,
    wallMs: pick((r) => r.wallMs),
    idleMs: pick((r) => r.idleMs),
    busyMs: pick((r) => r.wallMs - r.idleMs),
    replayMs: pick((r) => r.replayMs),
    busyRatio: pick((r, base) => (r.wallMs - r.idleMs) / base.wallMs),
    replayRatio: pick((r, base) => r.replayMs / base.replayMs),
    // Against the lean floor of the same round: what the client adds to axios's own cost of a burst.
    floorRatio: pick((r, _base, floor) => (floor ? (r.wallMs - r.idleMs) / (floor.wallMs - floor.idleMs) : Number.NaN)),
    refreshes: Math.max(...perRound.map((records) => records[key].refreshes)),
    failed: Math.max(...perRound.map((records) => records[key].failed)),
  }
}

const prepareClient = (refreshMs) => (key) => {
  const server = createMemoryServer({ open: key === 'bare', track: true })
  const client = contenders[key].create(server, { refreshMs })
  if (key !== 'bare') server.revoke()
  return { server, client }
}

/**
 * Burst: `n` concurrent requests with a token the server no longer accepts, so all get 401; the
 * refresh takes `refreshMs`. For `bare`, the same `n` requests simply succeed: the baseline.
 * Per iteration: wall time to settle all; event-loop idle time within it (the part of the
 * refresh delay with nothing else to do); time from refresh success to the last accepted send
 * (for `bare`: from the first call to the last send).
 */
export async function runBurst({ n, keys = STORM_KEYS, refreshMs, rounds, warmupRounds }) {
  const perRound = await runRounds({
    keys,
    rounds,
    warmupRounds,
    prepare: prepareClient(refreshMs),
    async measure(key, { server, client }) {
      const startedAt = performance.now()
      const elu = performance.eventLoopUtilization()
      const settled = await Promise.allSettled(fire(client.instance, n))
      const wallMs = performance.now() - startedAt
      const { idle: idleMs } = performance.eventLoopUtilization(elu)
      return {
        wallMs,
        idleMs,
        replayMs: server.lastSendAt - (key === 'bare' ? startedAt : client.refresh.doneAt),
        refreshes: client.refresh.count,
        failed: countRejected(settled),
      }
    },
  })
  return new Map(keys.map((key) => [key, summarize(perRound, key, 'bare')]))
}

/**
 * Held: one request meets a revoked token and starts the refresh; while the refresh is pending,
 * `n` new requests are made. The refresh is then released by hand, and the time from its
 * success to the last accepted send is measured. The baseline is bare axios sending `n` fresh
 * requests (first call to last send).
 */
export async function runHeld({ n, keys = STORM_KEYS, rounds, warmupRounds }) {
  const perRound = await runRounds({
    keys,
    rounds,
    warmupRounds,
    prepare: prepareClient('manual'),
    async measure(key, { server, client }) {
      let releasedAt
      let settled
      if (key === 'bare') {
        releasedAt = performance.now()
        settled = await Promise.allSettled(fire(client.instance, n))
      } else {
        const first = client.instance.get('/items')
        // The first 401 comes back and starts the refresh; the burst is made while it runs.
        while (client.refresh.count === 0) await settleMicrotasks()
        const all = Promise.allSettled([first, ...fire(client.instance, n)])
        await settleMicrotasks()
        releasedAt = performance.now()
        client.refresh.release()
        settled = await all
      }
      return { wallMs: Number.NaN, idleMs: Number.NaN, replayMs: server.lastSendAt - releasedAt, refreshes: client.refresh.count, failed: countRejected(settled) }
    },
  })
  return new Map(keys.map((key) => [key, summarize(perRound, key, 'bare')]))
}

/**
 * Spread: `n` requests whose 401s come back spread over `spreadMs` (answer k after k mod
 * `spreadMs` ms) while the refresh takes `refreshMs`: some 401s arrive after the refresh ended.
 * Only correctness is reported: refreshes started, requests failed, sends made.
 */
export async function runSpread({ n, spreadMs, refreshMs, keys = STORM_KEYS.filter((key) => key !== 'bare') }) {
  const results = new Map()
  for (const key of keys) {
    const server = createMemoryServer({ spreadMs })
    const client = contenders[key].create(server, { refreshMs })
    server.revoke()
    const settled = await Promise.allSettled(fire(client.instance, n))
    results.set(key, { refreshes: client.refresh.count, failed: countRejected(settled), sends: server.sends })
  }
  return results
}

/**
 * Heap per held request, read after full GCs (needs `--expose-gc`): the heap with `n` requests
 * waiting for a refresh that has not finished, minus the heap before they were made, per request.
 * `kind: 'burst'`: the `n` requests all got 401 and wait for the refresh their first 401 started.
 * `kind: 'held'`: one 401 started the refresh, then `n` new requests were made while it runs.
 * For `bare`, the `n` requests are in flight, parked at the adapter: axios's own cost of a pending
 * request. The lean floor (a minimal hold-and-replay interceptor) is axios's own cost of a held
 * 401 (error, response and config kept for the replay). A first pass per contender is discarded:
 * it would also count code compiled and object layouts settled on first use.
 */
export async function measureHeap({ n, kind, keys = STORM_KEYS, repeats }) {
  if (typeof globalThis.gc !== 'function') throw new Error('heap figures need node --expose-gc')
  const samples = new Map(keys.map((key) => [key, []]))
  for (let repeat = 0; repeat <= repeats; repeat++) {
    for (const key of keys) {
      const server = createMemoryServer({ open: key === 'bare' })
      const client = contenders[key].create(server, { refreshMs: 'manual' })
      const earlier = []
      if (key === 'bare') {
        server.hold()
      } else {
        server.revoke()
        if (kind === 'held') {
          earlier.push(client.instance.get('/items').catch(() => {}))
          while (client.refresh.count === 0) await settleMicrotasks()
        }
      }
      await settleMicrotasks()
      collectGarbage()
      const before = process.memoryUsage().heapUsed
      // Handled at once, as an app would, so that early rejections are not reported as unhandled.
      const all = Promise.allSettled(fire(client.instance, n))
      await settleMicrotasks()
      await settleMicrotasks()
      collectGarbage()
      const during = process.memoryUsage().heapUsed
      if (key !== 'bare' && client.refresh.count !== 1) throw new Error(`${key}: expected one refresh in flight, saw ${client.refresh.count}`)
      if (repeat > 0) samples.get(key).push((during - before) / n)
      server.release()
      client.refresh.release()
      await Promise.allSettled([...earlier, all])
    }
  }
  return new Map(keys.map((key) => [key, median(samples.get(key))]))
}
