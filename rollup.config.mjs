import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import commonjs from '@rollup/plugin-commonjs'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import { dts } from 'rollup-plugin-dts'
import esbuild from 'rollup-plugin-esbuild'

// Each public entry: its source and its dist name. The adapters keep the root entry
// external, so the core exists once in an app that imports several entries.
const entries = [
  // The root and the fetch entry are built together (see `sharedCore`).
  { input: 'src/index.ts', name: 'index', shared: true },
  // React Server Components need the directive at the top of the client entry.
  { input: 'src/react/index.ts', name: 'react', banner: "'use client';" },
  { input: 'src/vue/index.ts', name: 'vue' },
  // Opt-in: an app that never diagnoses does not ship its messages.
  { input: 'src/diagnose/index.ts', name: 'diagnose' },
  // Carries the core without the root entry, which would load axios, which a fetch-only app has not installed.
  { input: 'src/fetch/index.ts', name: 'fetch', shared: true },
  // Opt-in: only apps with DPoP-bound tokens ship the proofs and the key store.
  { input: 'src/dpop/index.ts', name: 'dpop' },
  { input: 'src/testing/index.ts', name: 'testing' },
]

// Peers, and jwt-decode (which ships CommonJS), are required at run time by both builds.
const alwaysExternal = (id) => /^(axios|jwt-decode|react|vue)(\/|$)/.test(id) || id === 'axios-reauth'
// The ES build leaves p-queue to the app's bundler, which dedupes it.
const esExternal = (id) => alwaysExternal(id) || /^p-queue(\/|$)/.test(id)
// The CommonJS build bundles p-queue and its dependencies (eventemitter3, p-timeout): p-queue is
// ESM only, so require() of it fails under Jest and, where Node loads it, yields the namespace
// object instead of the class.
const cjsExternal = alwaysExternal

// Bundled code keeps its origin visible: the CommonJS files name each package they carry, with
// its version and license, read from the copy that was bundled.
function bundledNotice(chunk) {
  const packages = new Map()
  for (const id of chunk.moduleIds) {
    // '\0' marks the commonjs plugin's virtual wrappers; the real file of each is listed too.
    if (id.startsWith('\0')) continue
    // Greedy, so a nested node_modules names the innermost package.
    const match = /^(.*[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+))[\\/]/.exec(id)
    if (match) packages.set(match[2], match[1])
  }
  if (packages.size === 0) return ''
  const lines = [...packages].sort(([a], [b]) => a.localeCompare(b)).map(([name, dir]) => {
    const { version, license } = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'))
    return ` * ${name}@${version} (${license})`
  })
  return `/*!\n * Bundled for require():\n${lines.join('\n')}\n */`
}

const esbuildPlugin = () => esbuild({ target: 'es2022', jsx: 'automatic' })

// The 'use client' directive is re-added as a banner; rollup would warn and drop it.
function onLog(level, log, handler) {
  const aboutDirective = log.code === 'MODULE_LEVEL_DIRECTIVE' || (log.code === 'SOURCEMAP_ERROR' && /src\/react\/index\.ts$/.test(log.id ?? ''))
  if (!aboutDirective) handler(level, log)
}

const isPQueue = (id) => /[\\/]node_modules[\\/]p-queue[\\/]/.test(id)

// The packages left external (peers, jwt-decode, p-queue) have no side effects on import: an
// entry that uses none of their exports does not import them at all.
const treeshake = { moduleSideEffects: (_id, external) => !external }

const cjsPlugins = () => [
  esbuildPlugin(),
  // Resolves the bundled packages as Node would for require(), preferring each one's
  // CommonJS files where it has them, so no ESM-only file is left to require().
  nodeResolve({ exportConditions: ['node', 'require', 'default'], preferBuiltins: true }),
  commonjs(),
]

const cjsOutput = (banner) => ({
  format: 'cjs',
  sourcemap: true,
  exports: 'named',
  banner: (chunk) => [banner, bundledNotice(chunk)].filter(Boolean).join('\n'),
})

// The root and the fetch entry in one build: the core they share is a chunk of its own
// (dist/shared/) that both load, so an app that uses both has one core (one session, one set of
// error classes for instanceof), and a fetch-only app never loads the axios glue or axios.
const sharedInputs = Object.fromEntries(entries.filter((entry) => entry.shared).map(({ name, input }) => [name, input]))
const sharedCore = [
  {
    input: sharedInputs,
    treeshake,
    external: esExternal,
    plugins: [esbuildPlugin()],
    onLog,
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'shared/core-[hash].js' },
  },
  {
    input: sharedInputs,
    treeshake,
    external: cjsExternal,
    plugins: cjsPlugins(),
    onLog,
    // p-queue, imported on demand by a client with replayConcurrency, gets a chunk of its own.
    output: { ...cjsOutput(), dir: 'dist', entryFileNames: '[name].cjs', chunkFileNames: (chunk) => (chunk.moduleIds.some(isPQueue) ? 'shared/p-queue-[hash].cjs' : 'shared/core-[hash].cjs') },
  },
]

const separateBuilds = entries
  .filter((entry) => !entry.shared)
  .flatMap(({ input, name, banner }) => [
    {
      input,
      treeshake,
      external: esExternal,
      plugins: [esbuildPlugin()],
      onLog,
      output: { file: `dist/${name}.js`, format: 'es', sourcemap: true, banner },
    },
    {
      input,
      treeshake,
      external: cjsExternal,
      plugins: cjsPlugins(),
      onLog,
      output: { ...cjsOutput(banner), file: `dist/${name}.cjs` },
    },
  ])

// From the sources, or from the declarations tsc emitted into `typesDir` (scripts/build.mjs), which
// the plugin bundles without compiling a program per entry.
const declarations = (typesDir) =>
  entries.map(({ input, name }) => ({
    input: typesDir ? join(typesDir, relative('src', input).replace(/\.ts$/, '.d.ts')) : input,
    external: alwaysExternal,
    plugins: [dts({ tsconfig: 'tsconfig.build.json' })],
    output: [
      { file: `dist/${name}.d.ts`, format: 'es' },
      { file: `dist/${name}.d.cts`, format: 'es' },
    ],
  }))

// `--configPart code` or `--configPart types` builds one half, as scripts/build.mjs does.
export default ({ configPart, configTypesDir }) => {
  const code = [...sharedCore, ...separateBuilds]
  if (configPart === 'code') return code
  if (configPart === 'types') return declarations(configTypesDir)
  return [...code, ...declarations(configTypesDir)]
}
