// `npm run size` runs size-limit (the budgets in .size-limit.json), then this: what size-limit
// cannot check. Each check bundles a single named import with esbuild and looks for marker
// strings of the code that must not come along. Every marker is first found in a bundle that
// must contain it, so a renamed message fails the check loudly instead of passing it silently.
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { existsSync } from 'node:fs'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))

const peers = ['axios', 'react', 'react/*', 'react-dom', 'react-dom/*', 'vue', 'vue/*']
const deps = ['jwt-decode', 'p-queue']

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
  diagnose: 'has not expired, yet the server rejected it',
  'cross-tab': 'Two clients of this page share the session',
  scheduler: 'visibilitychange',
}

/** Each check bundles `code` (deps bundled, peers external) and requires `absent` markers to be missing. */
export const TREE_SHAKING_CHECKS = [
  { name: 'parseWwwAuthenticate alone', code: "export { parseWwwAuthenticate } from './dist/index.js'", absent: ['session', 'p-queue', 'jwt-decode', 'auth-store'] },
  {
    name: 'createAuthClient alone',
    code: "export { createAuthClient } from './dist/index.js'",
    absent: ['auth-store', 'react adapter', 'vue adapter', 'dpop', 'diagnose', 'cross-tab', 'scheduler'],
    noImports: ['react', 'vue'],
  },
  // Opt-in, each: only what an app imports comes along.
  { name: 'createAuthClient with crossTab', code: "export { createAuthClient, crossTab } from './dist/index.js'", absent: ['scheduler', 'dpop', 'diagnose'] },
  { name: 'createAuthClient with scheduledRefresh', code: "export { createAuthClient, scheduledRefresh } from './dist/index.js'", absent: ['cross-tab', 'dpop', 'diagnose'] },
  { name: 'createAuthSession and createAuthFetch', code: "export { createAuthSession, createAuthFetch } from './dist/fetch.js'", absent: ['axios glue', 'cross-tab', 'scheduler', 'diagnose'], noImports: ['axios'] },
  // A fetch-only app has no axios installed: the fetch entry must neither carry nor import it.
  { name: 'the fetch entry', code: "export * from './dist/fetch.js'", absent: ['axios glue', 'react adapter', 'vue adapter', 'diagnose'], noImports: ['axios', 'react', 'vue'] },
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
  diagnose: "export * from './dist/diagnose.js'",
  'cross-tab': "export { crossTab } from './dist/index.js'",
  scheduler: "export { scheduledRefresh } from './dist/index.js'",
}

/** Bundles `code` (resolved from the package root) minified, as an app's bundler would; `metafile` adds esbuild's report. */
export async function bundleCode(code, external, { metafile = false } = {}) {
  return build({
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
    metafile,
  })
}

const bundle = async (code, external) => (await bundleCode(code, external)).outputFiles[0].text

const sizeOf = (text) => ({ minified: Buffer.byteLength(text), gzip: gzipSync(text, { level: 9 }).length })

/** Runs the tree-shaking checks; `problems` has one line per problem (empty when all pass). */
export async function checkTreeShaking() {
  for (const file of ['index', 'react', 'vue', 'fetch', 'dpop', 'diagnose']) {
    if (!existsSync(new URL(`../dist/${file}.js`, import.meta.url))) throw new Error(`[size] dist/${file}.js is missing: run \`npm run build\` first.`)
  }
  const problems = []
  const homes = new Map()
  for (const [marker, code] of Object.entries(MARKER_HOMES)) {
    if (!homes.has(code)) homes.set(code, await bundle(code, code.includes('index.js') || code.includes('fetch.js') ? peers : [...peers, ...deps, 'axios-reauth']))
    if (!homes.get(code).includes(MARKERS[marker])) {
      problems.push(`marker for ${marker} ("${MARKERS[marker]}") is no longer in \`${code}\`: update MARKERS in scripts/tree-shaking.mjs.`)
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
  return { ok: problems.length === 0, problems, details }
}

async function main() {
  const { ok, problems, details } = await checkTreeShaking()
  for (const detail of details) console.log(`  ${detail.clean ? '✔' : '✘'} ${detail.name} (${detail.gzip} B gzip)`)
  if (!ok) {
    console.error(`\n[size] ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    process.exit(1)
  }
  console.log('[size] tree-shaking checks pass.')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
