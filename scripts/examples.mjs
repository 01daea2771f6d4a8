// `npm run examples`: type-checks, builds and runs every example under examples/ on the built
// package (run `npm run build` first; `npm test` does), and fails on the first that does not.
//
// - the Vite apps (React + TanStack Query, Vue + vue-router + vue-query) and the Node scripts are
//   type-checked together by examples/tsconfig.json; each Vite app is built into its dist/, which
//   tests/examples/*.test.ts serve and drive in Chromium;
// - the Node scripts run, and exit non-zero when what they show did not happen;
// - Next.js: `next build`, then tsc with the route types it generated;
// - Nuxt: `nuxt build`, then tsc with the types it generated (vue-tsc is not installed: the .vue
//   files are checked by the build's compiler only).
//
// Usage: node scripts/examples.mjs [name…]   (default: every example)
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (name) => `${root}node_modules/.bin/${name}`
const examples = (path) => `${root}examples/${path}`
const quiet = { NEXT_TELEMETRY_DISABLED: '1', NUXT_TELEMETRY_DISABLED: '1' }

function run(command, args, cwd = root) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...quiet }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`[examples] ${[command, ...args].join(' ')} failed (exit ${code}) in ${cwd}:\n${output}`))))
  })
}

async function viteBuild(name) {
  const { build } = await import('vite')
  await build({ configFile: examples(`${name}/vite.config.ts`), build: { outDir: examples(`${name}/dist`), emptyOutDir: true } })
}

/** Each step, by example name; `typecheck` covers the Vite apps and the Node scripts at once. */
const STEPS = {
  typecheck: () => run(bin('tsc'), ['-p', examples('tsconfig.json')]),
  'react-tanstack-query': () => viteBuild('react-tanstack-query'),
  'vue-router-query': () => viteBuild('vue-router-query'),
  'short-lived-tokens': () => run(process.execPath, [examples('short-lived-tokens/index.mjs')]),
  'cookie-refresh-csrf': () => run(process.execPath, [examples('cookie-refresh-csrf/index.mjs')]),
  'nextjs-app-router': async () => {
    await run(bin('next'), ['build', '--webpack'], examples('nextjs-app-router'))
    await run(bin('tsc'), ['-p', examples('nextjs-app-router/tsconfig.json')])
  },
  nuxt: async () => {
    await run(bin('nuxt'), ['build'], examples('nuxt'))
    await run(bin('tsc'), ['--noEmit', '-p', examples('nuxt/.nuxt/tsconfig.app.json')])
  },
}

async function main() {
  if (!existsSync(`${root}dist/index.js`)) throw new Error('[examples] dist/ is missing: run `npm run build` first.')
  const asked = process.argv.slice(2)
  const unknown = asked.filter((name) => !(name in STEPS))
  if (unknown.length > 0) throw new Error(`[examples] no example named ${unknown.join(', ')}: pick from ${Object.keys(STEPS).join(', ')}.`)
  for (const name of asked.length > 0 ? asked : Object.keys(STEPS)) {
    const started = performance.now()
    await STEPS[name]()
    console.log(`[examples] ${name.padEnd(22)} ok  ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
