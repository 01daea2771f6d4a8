// @ts-check
/**
 * Builds the browser demo with Vite and serves it from the demo auth API, same origin. Used by
 * `demo/start.mjs` (`npm run demo`) and by the end-to-end test, so both run the same app.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startAuthApi } from '../server/auth-api.mjs'

/** @typedef {import('./launch.d.mts').BuildOptions} BuildOptions */
/** @typedef {import('./launch.d.mts').DemoServer} DemoServer */
/** @typedef {import('./launch.d.mts').StartOptions} StartOptions */

const root = fileURLToPath(new URL('../../', import.meta.url))
export const webRoot = fileURLToPath(new URL('./', import.meta.url))
export const defaultOutDir = join(webRoot, 'dist')
/** The demo imports the package by its public names; these are the files they resolve to. */
const builtEntries = { 'axios-reauth': 'index.js', 'axios-reauth/react': 'react.js', 'axios-reauth/vue': 'vue.js', 'axios-reauth/diagnose': 'diagnose.js' }
const builtFiles = Object.values(builtEntries).map((file) => join(root, 'dist', file))
/** The pages, each a Vite entry. */
const pages = ['index.html', 'vue/index.html']

function assertLibraryBuilt() {
  const missing = builtFiles.filter((file) => !existsSync(file))
  if (missing.length > 0) {
    throw new Error(`The demo runs on the built package, and ${missing.join(', ')} is missing: run \`npm run build\` first (\`npm run demo\` does).`)
  }
}

/** Newest modification time among the demo's sources (the output folder left out). @param {string} dir @param {string} outDir */
function newestSource(dir, outDir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (path === outDir || entry.name === 'node_modules') continue
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path, outDir) : statSync(path).mtimeMs)
  }
  return newest
}

/**
 * True when the built app exists and is newer than its sources and the built library.
 * @param {string} [outDir]
 */
export function isDemoBuilt(outDir = defaultOutDir) {
  const outputs = pages.map((page) => join(outDir, page))
  if (!outputs.every((file) => existsSync(file)) || !builtFiles.every((file) => existsSync(file))) return false
  const builtAt = Math.min(...outputs.map((file) => statSync(file).mtimeMs))
  const inputsAt = Math.max(newestSource(webRoot, outDir), ...builtFiles.map((file) => statSync(file).mtimeMs))
  return builtAt >= inputsAt
}

/**
 * The Vite configuration of the demo: two pages, and the package's public names aliased to dist/.
 * @param {string} outDir
 */
async function viteConfig(outDir) {
  const [{ default: react }, { default: vue }] = await Promise.all([import('@vitejs/plugin-react'), import('@vitejs/plugin-vue')])
  return {
    configFile: /** @type {const} */ (false),
    root: webRoot,
    base: '/',
    logLevel: /** @type {const} */ ('warn'),
    plugins: [react(), vue()],
    resolve: {
      // Exact names only: 'axios-reauth/react' must not resolve to 'dist/index.js/react'.
      alias: Object.entries(builtEntries).map(([name, file]) => ({
        find: new RegExp(`^${name.replace('/', '\\/')}$`),
        replacement: join(root, 'dist', file),
      })),
    },
    build: {
      outDir,
      emptyOutDir: true,
      reportCompressedSize: false,
      rolldownOptions: { input: pages.map((page) => join(webRoot, page)) },
    },
  }
}

/** @param {BuildOptions} [options] @returns {Promise<string>} */
export async function buildDemo({ outDir = defaultOutDir } = {}) {
  assertLibraryBuilt()
  const { build } = await import('vite')
  // Vite derives production mode from NODE_ENV, which a test runner sets to 'test'; the demo is
  // always the production build of React and Vue, as an app would ship it.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build(await viteConfig(outDir))
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = nodeEnv
  }
  return outDir
}

/** @param {unknown} error */
const isPortTaken = (error) => /** @type {NodeJS.ErrnoException} */ (error)?.code === 'EADDRINUSE'

/** @param {StartOptions} [options] @returns {Promise<DemoServer>} */
export async function startDemo({ port = 5173, host = '127.0.0.1', outDir = defaultOutDir, accessTtlSeconds = 20, fallBackToFreePort = true } = {}) {
  if (!existsSync(join(outDir, 'index.html'))) throw new Error(`${outDir} holds no built demo: call buildDemo() first.`)
  const options = { host, accessTtlSeconds, staticDir: outDir }
  try {
    return { ...(await startAuthApi({ ...options, port })), fellBack: false }
  } catch (error) {
    if (!fallBackToFreePort || port === 0 || !isPortTaken(error)) throw error
    return { ...(await startAuthApi({ ...options, port: 0 })), fellBack: true }
  }
}
