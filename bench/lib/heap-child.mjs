// Heap figures in a process of their own (node --expose-gc), one process per contender and
// scenario: a fresh heap, so that what earlier scenarios left behind (compiled code, object
// layouts, old-generation garbage) cannot move them, and so that no contender's code changes
// how V8 optimizes another's (bare axios measured beside four clients is ~200 B leaner per
// request than bare axios alone). Prints one JSON number on stdout: bytes per request.
import { measureHeap } from './storms.mjs'

const [kind, key] = process.argv.slice(2)
const n = Number(process.argv[4] ?? 10_000)
const repeats = Number(process.argv[5] ?? 3)
const perRequest = await measureHeap({ n, kind, keys: [key], repeats })
process.stdout.write(JSON.stringify(perRequest.get(key)))
