// Happy path: a valid token, no 401. Each tinybench sample sends `batch` requests one after the
// other (await each), so a sample is a millisecond or two rather than a few microseconds.
// Each contender is measured in a process of its own, beside bare axios only (`happy-child.mjs`):
// in one process shared by all contenders, how V8 optimizes axios's own code for the others'
// shapes (their configs, headers and interceptors) slows bare axios and every client by a few
// percent, and by a different amount for each. Within a process the two tasks run in short rounds
// whose order rotates, and the contender's ratio is taken against bare axios within the same
// round: slow drifts of the machine (JIT, GC, other processes) then cancel out instead of
// favouring whoever ran first.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Bench } from 'tinybench'
import { contenders, withCandidate } from './contenders.mjs'
import { createMemoryServer } from './memory-server.mjs'
import { median } from './stats.mjs'

export const HAPPY_PATH_KEYS = withCandidate(['bare', 'naive', 'floor', 'sendTimeFloor', 'reauth', 'authRefresh', 'failedQueue'])

/**
 * Measures `keys` (bare axios first) in this process.
 * @param {{ keys: string[], rounds: number, taskMs: number, batch: number }} options
 * @returns {Map<string, { usPerRequest: number, ratio: number }>} per key: the median over rounds
 *   of its median sample, and of that sample over bare axios's median sample in the same round.
 */
export async function measureHappyPath({ keys, rounds, taskMs, batch }) {
  const instances = new Map(keys.map((key) => [key, contenders[key].create(createMemoryServer({ open: key === 'bare' })).instance]))
  const perRound = new Map(keys.map((key) => [key, { us: [], ratio: [] }]))

  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({
      time: taskMs,
      iterations: 8,
      // The first round warms every contender up; later rounds start warm.
      warmup: round === 0,
      warmupTime: 200,
      throws: true,
    })
    const order = keys.map((_, index) => keys[(index + round) % keys.length])
    for (const key of order) {
      const instance = instances.get(key)
      bench.add(
        key,
        async () => {
          for (let i = 0; i < batch; i++) await instance.get('/items')
        },
        { async: true },
      )
    }
    await bench.run()
    const p50 = new Map(bench.tasks.map((task) => [task.name, task.result.latency.p50]))
    for (const key of keys) {
      perRound.get(key).us.push((p50.get(key) / batch) * 1000)
      perRound.get(key).ratio.push(p50.get(key) / p50.get('bare'))
    }
  }

  return new Map(
    keys.map((key) => {
      const { us, ratio } = perRound.get(key)
      return [key, { usPerRequest: median(us), ratio: median(ratio) }]
    }),
  )
}

/**
 * Measures every contender against bare axios, each in `processes` fresh processes of its own;
 * the contenders take turns, in an order that rotates from one pass to the next.
 * @param {{ rounds: number, taskMs: number, batch: number, processes: number }} options
 * @returns {Map<string, { usPerRequest: number, ratio: number }>} per contender, the medians over
 *   its processes (bare axios: its own time in all of them, ratio 1).
 */
export function runHappyPath({ rounds, taskMs, batch, processes }) {
  const child = fileURLToPath(new URL('./happy-child.mjs', import.meta.url))
  const peers = HAPPY_PATH_KEYS.filter((key) => key !== 'bare')
  const runs = new Map(HAPPY_PATH_KEYS.map((key) => [key, { us: [], ratio: [] }]))
  for (let pass = 0; pass < processes; pass++) {
    for (let index = 0; index < peers.length; index++) {
      const key = peers[(index + pass) % peers.length]
      const { status, stdout } = spawnSync(process.execPath, [child, key, String(rounds), String(taskMs), String(batch)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
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
