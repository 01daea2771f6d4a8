// One contender's 401 burst beside bare axios, in a process of its own (see `runBurstAlone` in
// `storms.mjs`). Prints one JSON object on stdout: the contender's busy time over bare axios's,
// the median over paired rounds, and its worst round's refreshes and failures.
import { runBurst } from './storms.mjs'

const [key, n, refreshMs, rounds, warmupRounds] = process.argv.slice(2).map((arg, index) => (index === 0 ? arg : Number(arg)))
const result = (await runBurst({ n, keys: ['bare', key], refreshMs, rounds, warmupRounds })).get(key)
process.stdout.write(JSON.stringify({ busyRatio: result.busyRatio, refreshes: result.refreshes, failed: result.failed }))
