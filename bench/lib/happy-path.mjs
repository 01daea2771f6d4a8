// Happy path: a valid token, no 401. A sample sends `batch` requests one after the other (await
// each), so it lasts a millisecond or two rather than a few microseconds. Each contender is
// measured in a process of its own, beside bare axios only (`happy-child.mjs`): in one process
// shared by all contenders, how V8 optimizes axios's own code for the others' shapes (their
// configs, headers and interceptors) slows bare axios and every client by a few percent, and by a
// different amount for each. Within a process the two take turns sample by sample, in pairs whose
// order alternates, and the ratio is the median over pairs of the contender's sample over bare
// axios's sample next to it: a slowdown of the machine (another process, a busy host) lasts far
// longer than a pair, so it hits both samples of the pair alike and cancels out. Longer turns
// (tinybench tasks of 150 ms each, taken in turn) let such slowdowns fall on one side: the
// send-time floor, which does almost nothing, read anywhere from 0.93x to 1.03x that way.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { contenders, withCandidate } from './contenders.mjs'
import { createMemoryServer } from './memory-server.mjs'
import { median } from './stats.mjs'

export const HAPPY_PATH_KEYS = withCandidate(['bare', 'naive', 'floor', 'sendTimeFloor', 'reauth', 'authRefresh', 'failedQueue'])

/** Milliseconds `batch` sequential requests through `instance` take. */
async function timeSample(instance, batch) {
  const startedAt = performance.now()
  for (let i = 0; i < batch; i++) await instance.get('/items')
  return performance.now() - startedAt
}

/**
 * Measures `keys` (bare axios first) in this process: a warm-up of `warmupMs` per key, then
 * samples in turn until every key has spent `timeMs` sending.
 * @param {{ keys: string[], timeMs: number, warmupMs: number, batch: number }} options
 * @returns {Map<string, { usPerRequest: number, ratio: number }>} per key: its
 *   median sample per request, and the median over turns of its sample over bare axios's beside it.
 */
export async function measureHappyPath({ keys, timeMs, warmupMs, batch }) {
  const instances = keys.map((key) => contenders[key].create(createMemoryServer({ open: key === 'bare' })).instance)
  for (const instance of instances) {
    for (const until = performance.now() + warmupMs; performance.now() < until; ) await timeSample(instance, batch)
  }
  const samples = keys.map(() => [])
  const ratios = keys.map(() => [])
  const spent = keys.map(() => 0)
  for (let turn = 0; spent.some((ms) => ms < timeMs); turn++) {
    const times = new Array(keys.length)
    // The order alternates, so that neither side always runs right after the other.
    for (let step = 0; step < keys.length; step++) {
      const index = turn % 2 ? keys.length - 1 - step : step
      times[index] = await timeSample(instances[index], batch)
      spent[index] += times[index]
    }
    times.forEach((ms, index) => {
      samples[index].push(ms)
      ratios[index].push(ms / times[0])
    })
  }
  return new Map(keys.map((key, index) => [key, { usPerRequest: (median(samples[index]) / batch) * 1000, ratio: median(ratios[index]) }]))
}

/**
 * Measures every contender against bare axios, each in `processes` fresh processes of its own;
 * the contenders take turns, in an order that rotates from one pass to the next.
 * @param {{ timeMs: number, warmupMs: number, batch: number, processes: number }} options
 * @returns {Map<string, { usPerRequest: number, ratio: number }>} per contender, the medians over
 *   its processes (bare axios: its own time in all of them, ratio 1).
 */
export function runHappyPath({ timeMs, warmupMs, batch, processes }) {
  const child = fileURLToPath(new URL('./happy-child.mjs', import.meta.url))
  const peers = HAPPY_PATH_KEYS.filter((key) => key !== 'bare')
  const runs = new Map(HAPPY_PATH_KEYS.map((key) => [key, { us: [], ratio: [] }]))
  for (let pass = 0; pass < processes; pass++) {
    for (let index = 0; index < peers.length; index++) {
      const key = peers[(index + pass) % peers.length]
      const { status, stdout } = spawnSync(process.execPath, [child, key, String(timeMs), String(warmupMs), String(batch)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
      if (status !== 0) throw new Error(`[bench] the happy-path process for ${key} failed (exit ${status})`)
      const result = JSON.parse(stdout)
      runs.get(key).us.push(result[key].usPerRequest)
      runs.get(key).ratio.push(result[key].ratio)
      runs.get('bare').us.push(result.bare.usPerRequest)
      runs.get('bare').ratio.push(1)
    }
  }
  return new Map([...runs].map(([key, { us, ratio }]) => [key, { usPerRequest: median(us), ratio: median(ratio) }]))
}
