// Heap figures in a process of their own (node --expose-gc): a fresh heap, so that what earlier
// scenarios left behind (compiled code, object layouts, old-generation garbage) cannot move
// them. Prints one JSON object on stdout.
import { measureHeap } from './storms.mjs'

const n = Number(process.argv[2] ?? 10_000)
const repeats = Number(process.argv[3] ?? 3)
const burst = await measureHeap({ n, kind: 'burst', repeats })
const held = await measureHeap({ n, kind: 'held', repeats })
process.stdout.write(JSON.stringify({ n, burst: Object.fromEntries(burst), held: Object.fromEntries(held) }))
