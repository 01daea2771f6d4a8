// Happy path: a valid token, no 401. Each tinybench sample sends `batch` requests one after the
// other (await each), so a sample is a millisecond or two rather than a few microseconds.
// Tasks run in short rounds whose order rotates, and each contender's ratio is taken against
// bare axios within the same round: slow drifts of the machine (JIT, GC, other processes)
// then cancel out instead of favouring whoever ran first.
import { Bench } from 'tinybench'
import { contenders, withCandidate } from './contenders.mjs'
import { createMemoryServer } from './memory-server.mjs'
import { median } from './stats.mjs'

export const HAPPY_PATH_KEYS = withCandidate(['bare', 'naive', 'floor', 'reauth', 'authRefresh', 'failedQueue'])

/**
 * @param {{ rounds: number, taskMs: number, batch: number }} options
 * @returns {Promise<Map<string, { usPerRequest: number, ratio: number }>>}
 */
export async function runHappyPath({ rounds, taskMs, batch }) {
  const instances = new Map(
    HAPPY_PATH_KEYS.map((key) => [key, contenders[key].create(createMemoryServer({ open: key === 'bare' })).instance]),
  )
  const perRound = new Map(HAPPY_PATH_KEYS.map((key) => [key, { us: [], ratio: [] }]))

  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({
      time: taskMs,
      iterations: 8,
      // The first round warms every contender up; later rounds start warm.
      warmup: round === 0,
      warmupTime: 200,
      throws: true,
    })
    const order = HAPPY_PATH_KEYS.map((_, index) => HAPPY_PATH_KEYS[(index + round) % HAPPY_PATH_KEYS.length])
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
    for (const key of HAPPY_PATH_KEYS) {
      perRound.get(key).us.push((p50.get(key) / batch) * 1000)
      perRound.get(key).ratio.push(p50.get(key) / p50.get('bare'))
    }
  }

  return new Map(
    HAPPY_PATH_KEYS.map((key) => {
      const { us, ratio } = perRound.get(key)
      return [key, { usPerRequest: median(us), ratio: median(ratio) }]
    }),
  )
}
