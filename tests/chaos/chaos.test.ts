import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXPECTED_FEATURES, exercised } from './exercised'
import { checkInvariants } from './invariants'
import { describePlan, planRun } from './plan'
import { RUN_CAP_MS, runChaos, runsInProgress } from './run-chaos'

/**
 * Seeded chaos on real sockets and real time, on purpose (the rest of the suite scripts its races
 * instead): each seed plans one run (requests, aborts, expiries, a sign-out, a login, short-lived
 * tokens) and the fault server draws its faults (latencies, late and spurious 401s, error
 * statuses, resets, refresh outcomes) from the same seed, keyed by request id and refresh number.
 * A seed therefore replays the same faults; only the machine's timing varies between replays.
 * The invariants are listed and explained in invariants.ts.
 *
 * Seeds are checked in groups, one test per group, so that a run prints a line per group rather
 * than per seed; a failing group names its failing seeds, each with its report and the command
 * that replays it. CHAOS_SEED=<n> runs that seed alone; CHAOS_RUNS and CHAOS_FROM pick another
 * range (default 1..200).
 */
function seeds(): number[] {
  if (process.env.CHAOS_SEED) return [Number(process.env.CHAOS_SEED)]
  const from = Number(process.env.CHAOS_FROM ?? 1)
  return Array.from({ length: Number(process.env.CHAOS_RUNS ?? 200) }, (_, k) => from + k)
}

/** Seeds per test. */
const GROUP_SIZE = 25
/** Runs in progress at once, as many as vitest ran concurrently when each seed was a test of its own. */
const CONCURRENT_RUNS = 5
/** One run ends within RUN_CAP_MS and the few seconds its baseline checks may take. */
const RUN_BUDGET_MS = RUN_CAP_MS + 10_000

function groups(all: number[]): Array<{ label: string; seeds: number[] }> {
  const result: Array<{ label: string; seeds: number[] }> = []
  for (let k = 0; k < all.length; k += GROUP_SIZE) {
    const part = all.slice(k, k + GROUP_SIZE)
    result.push({ label: part.length === 1 ? `seed ${part[0]}` : `seeds ${part[0]}..${part[part.length - 1]}`, seeds: part })
  }
  return result
}

/** Runs `task` for every item, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await task(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/** The failure report of one seed: what it planned, how to replay it, what broke, and its trace. */
async function checkSeed(seed: number, seen: Set<string>): Promise<string | undefined> {
  const plan = planRun(seed)
  const observation = await runChaos(plan)
  const { problems, tolerated } = checkInvariants(plan, observation)
  // Tolerated events are not failures, but never silent: each one is printed with its seed.
  for (const line of tolerated) console.warn(`seed ${seed}: ${line}`)
  for (const feature of exercised(plan, observation)) seen.add(feature)
  if (problems.length === 0) return undefined
  return [
    `seed ${seed}: ${describePlan(plan)}`,
    `replay with: CHAOS_SEED=${seed} npx vitest run tests/chaos/chaos.test.ts`,
    ...problems.map((problem) => `  ${problem}`),
    'trace:',
    ...observation.trace.map((line) => `  ${line}`),
  ].join('\n')
}

const seen = new Set<string>()

const onUnhandled = (reason: unknown) => {
  for (const run of runsInProgress) run.unhandled.push(reason)
}
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled)
})
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
})

describe('chaos against a faulty auth server on real sockets', () => {
  const all = new Map(groups(seeds()).map((group) => [group.label, group.seeds]))
  it.for([...all.keys()])('holds every invariant for %s', { timeout: GROUP_SIZE * RUN_BUDGET_MS / CONCURRENT_RUNS + RUN_BUDGET_MS }, async (label) => {
    const group = all.get(label)!
    const failures = new Map<number, string>()
    await eachLimited(group, CONCURRENT_RUNS, async (seed) => {
      const report = await checkSeed(seed, seen)
      if (report !== undefined) failures.set(seed, report)
    })
    const failing = [...failures.keys()].sort((a, b) => a - b)
    const reports = failing.map((seed) => failures.get(seed)!).join('\n\n')
    expect(failing, `failing seeds: ${failing.join(', ')}\n\n${reports}`).toEqual([])
  })
})

describe('chaos coverage', () => {
  it.skipIf(process.env.CHAOS_SEED !== undefined || process.env.CHAOS_RUNS !== undefined)('exercises every fault and every kind of rejection across the seeds', () => {
    expect(EXPECTED_FEATURES.filter((feature) => !seen.has(feature))).toEqual([])
  })
})
