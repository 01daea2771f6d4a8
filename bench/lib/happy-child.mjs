// The happy path of one contender beside bare axios, in a process of its own (see
// `happy-path.mjs`: in a process shared by all contenders, V8's optimization of axios for the
// others moves the baseline). Prints one JSON object on stdout: per key, µs per request and the
// ratio to bare axios.
import { measureHappyPath } from './happy-path.mjs'

const [key, timeMs, warmupMs, batch] = process.argv.slice(2)
const result = await measureHappyPath({ keys: ['bare', key], timeMs: Number(timeMs), warmupMs: Number(warmupMs), batch: Number(batch) })
process.stdout.write(JSON.stringify(Object.fromEntries(result)))
