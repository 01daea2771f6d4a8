// `npm run size`: what each published entry costs an app, and whether it stays within budget.
//
// Each entry of dist/ is bundled with esbuild (minified, ES module) and gzipped at level 9.
// axios, react and vue are always external (peers); the adapters also keep 'axios-reauth'
// external, as rollup does, so the core is counted once. The core entry is measured twice:
// its own code (jwt-decode and p-queue external) and as an app ships it (both bundled).
//
// Tree-shaking checks bundle a single named import and look for marker strings of the code
// that must not come along. Every marker is first found in a bundle that must contain it, so a
// renamed message fails the check loudly instead of passing it silently.
//
// Usage: node scripts/size.mjs [--write-budget]
//   --write-budget  sets every limit to the current size plus 10% (raising a budget needs a reason).
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
export const BUDGET_FILE = fileURLToPath(new URL('../.size-budget.json', import.meta.url))

const peers = ['axios', 'react', 'react/*', 'react-dom', 'react-dom/*', 'vue', 'vue/*']
const deps = ['jwt-decode', 'p-queue']

/** The measured entries: each is bundled from `code` (an ES module in the repository root). */
export const ENTRIES = [
  { name: 'core', description: 'axios-reauth, own code (jwt-decode, p-queue external)', code: "export * from './dist/index.js'", external: [...peers, ...deps] },
  { name: 'core+deps', description: 'axios-reauth with jwt-decode and p-queue bundled', code: "export * from './dist/index.js'", external: peers },
  { name: 'react', description: 'axios-reauth/react (core external)', code: "export * from './dist/react.js'", external: [...peers, ...deps, 'axios-reauth'] },
  { name: 'vue', description: 'axios-reauth/vue (core external)', code: "export * from './dist/vue.js'", external: [...peers, ...deps, 'axios-reauth'] },
  { name: 'fetch', description: 'axios-reauth/fetch, core included (jwt-decode, p-queue external)', code: "export * from './dist/fetch.js'", external: [...peers, ...deps] },
  { name: 'dpop', description: 'axios-reauth/dpop (core external)', code: "export * from './dist/dpop.js'", external: [...peers, ...deps, 'axios-reauth'] },
  { name: 'testing', description: 'axios-reauth/testing (core external)', code: "export * from './dist/testing.js'", external: [...peers, ...deps, 'axios-reauth'] },
]

/** Strings that only the named code contains (messages and event names survive minification). */
const MARKERS = {
  session: 'refresh:start',
  'p-queue': 'requires a non-zero',
  'jwt-decode': 'Invalid token specified',
  'auth-store': 'expiringWithinMs must be',
  'react adapter': 'needs an <AuthProvider',
  'vue adapter': 'needs authPlugin installed',
  'axios glue': 'attach() needs an axios instance',
  dpop: 'dpop+jwt',
}

/** Each check bundles `code` (deps bundled, peers external) and requires `absent` markers to be missing. */
export const TREE_SHAKING_CHECKS = [
  { name: 'parseWwwAuthenticate alone', code: "export { parseWwwAuthenticate } from './dist/index.js'", absent: ['session', 'p-queue', 'jwt-decode', 'auth-store'] },
  { name: 'createAuthClient alone', code: "export { createAuthClient } from './dist/index.js'", absent: ['auth-store', 'react adapter', 'vue adapter', 'dpop'], noImports: ['react', 'vue'] },
  // A fetch-only app has no axios installed: the fetch entry must neither carry nor import it.
  { name: 'the fetch entry', code: "export * from './dist/fetch.js'", absent: ['axios glue', 'react adapter', 'vue adapter'], noImports: ['axios', 'react', 'vue'] },
]

// Where each marker must be found, to prove it is a valid marker.
const MARKER_HOMES = {
  session: "export * from './dist/index.js'",
  'p-queue': "export * from './dist/index.js'",
  'jwt-decode': "export * from './dist/index.js'",
  'auth-store': "export * from './dist/index.js'",
  'react adapter': "export * from './dist/react.js'",
  'vue adapter': "export * from './dist/vue.js'",
  'axios glue': "export * from './dist/index.js'",
  dpop: "export * from './dist/dpop.js'",
}

async function bundle(code, external) {
  const result = await build({
    stdin: { contents: code, resolveDir: root, sourcefile: 'size-entry.js', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    external,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  })
  return result.outputFiles[0].text
}

const sizeOf = (text) => ({ minified: Buffer.byteLength(text), gzip: gzipSync(text, { level: 9 }).length })

/** Bundles and measures every entry. Throws when dist/ has not been built. */
export async function measure() {
  for (const file of ['dist/index.js', 'dist/react.js', 'dist/vue.js', 'dist/fetch.js', 'dist/dpop.js']) {
    if (!existsSync(new URL(`../${file}`, import.meta.url))) throw new Error(`[size] ${file} is missing: run \`npm run build\` first.`)
  }
  const results = []
  for (const entry of ENTRIES) results.push({ ...entry, ...sizeOf(await bundle(entry.code, entry.external)) })
  return results
}

/** Runs the tree-shaking checks; returns one line per problem (empty when all pass). */
export async function checkTreeShaking() {
  const problems = []
  const homes = new Map()
  for (const [marker, code] of Object.entries(MARKER_HOMES)) {
    if (!homes.has(code)) homes.set(code, await bundle(code, code.includes('index.js') ? peers : [...peers, ...deps, 'axios-reauth']))
    if (!homes.get(code).includes(MARKERS[marker])) {
      problems.push(`marker for ${marker} ("${MARKERS[marker]}") is no longer in \`${code}\`: update MARKERS in scripts/size.mjs.`)
    }
  }
  const details = []
  for (const check of TREE_SHAKING_CHECKS) {
    const text = await bundle(check.code, peers)
    const pulled = check.absent.filter((marker) => text.includes(MARKERS[marker]))
    const imported = (check.noImports ?? []).filter((name) => new RegExp(`from\\s*["']${name}(/[^"']*)?["']|import\\s*["']${name}(/[^"']*)?["']`).test(text))
    for (const marker of pulled) problems.push(`${check.name}: the bundle pulls in ${marker} code (found "${MARKERS[marker]}"); something it imports is not tree-shakable.`)
    for (const name of imported) problems.push(`${check.name}: the bundle imports ${name}.`)
    details.push({ name: check.name, ...sizeOf(text), clean: pulled.length === 0 && imported.length === 0 })
  }
  return { problems, details }
}

/** Compares measurements with the budget file; returns one line per entry over (or missing from) budget. */
export function checkBudget(results, budget) {
  const problems = []
  for (const result of results) {
    const limit = budget.entries?.[result.name]
    if (!limit) {
      problems.push(`${result.name}: no budget in .size-budget.json (run \`node scripts/size.mjs --write-budget\` and commit it with a reason).`)
      continue
    }
    for (const kind of ['gzip', 'minified']) {
      if (limit[kind] !== undefined && result[kind] > limit[kind]) {
        problems.push(`${result.name}: ${result[kind]} B ${kind} is over its budget of ${limit[kind]} B (+${result[kind] - limit[kind]} B). Shrink it, or raise the limit in .size-budget.json and say why.`)
      }
    }
  }
  return problems
}

export function readBudget() {
  if (!existsSync(BUDGET_FILE)) throw new Error('[size] .size-budget.json is missing: run `node scripts/size.mjs --write-budget` once.')
  return JSON.parse(readFileSync(BUDGET_FILE, 'utf8'))
}

/** Everything `npm run size` checks: budgets and tree-shaking. `ok` is false on any problem. */
export async function checkSize(budget = readBudget()) {
  const results = await measure()
  const shaking = await checkTreeShaking()
  const problems = [...checkBudget(results, budget), ...shaking.problems]
  return { ok: problems.length === 0, problems, results, shaking: shaking.details, budget }
}

function budgetFrom(results) {
  const entries = Object.fromEntries(results.map((r) => [r.name, { gzip: Math.ceil(r.gzip * 1.1), minified: Math.ceil(r.minified * 1.1) }]))
  return {
    note: 'Limits in bytes: the first measurement plus 10%. Raising one needs a reason in the PR. Checked by `npm run size` (scripts/size.mjs).',
    entries,
  }
}

async function main() {
  if (process.argv.includes('--write-budget')) {
    const results = await measure()
    writeFileSync(BUDGET_FILE, `${JSON.stringify(budgetFrom(results), null, 2)}\n`)
    console.log(`[size] wrote ${BUDGET_FILE}`)
  }
  const { ok, problems, results, shaking, budget } = await checkSize()
  const rows = results.map((r) => [r.name, r.description, r.minified, r.gzip, budget.entries?.[r.name]?.gzip ?? '–'])
  rows.push(...shaking.map((s) => [s.name, s.clean ? 'tree-shaking check: clean' : 'tree-shaking check: PULLS EXTRA CODE', s.minified, s.gzip, '–']))
  const head = ['entry', 'what', 'min B', 'gzip B', 'gzip budget']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)))
  const line = (row) => row.map((cell, i) => (i < 2 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ')
  console.log([line(head), ...rows.map(line)].join('\n'))
  if (!ok) {
    console.error(`\n[size] ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    process.exit(1)
  }
  console.log('\n[size] all entries within budget; tree-shaking checks pass.')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
