// `npm run build`: dist/ from an empty folder (chunk names carry a content hash, so the chunks of an
// earlier build would stay beside the new ones and go into the published tarball). The type
// declarations took two thirds of the build when rollup-plugin-dts compiled each entry's program
// of its own: here tsc emits every declaration once, beside the JavaScript build on the other
// core, and the plugin only bundles the emitted files (`--configTypesDir`). `rollup -c` alone
// still builds everything from the sources.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const rollup = require.resolve('rollup/dist/bin/rollup')
const tsc = require.resolve('typescript/bin/tsc')

const run = (script, args) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' })
    child.on('error', reject)
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`[build] ${[script, ...args].join(' ')} failed (${signal ?? `exit ${code}`})`))))
  })

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true })
const typesDir = mkdtempSync(join(tmpdir(), 'axios-reauth-types-'))
try {
  await Promise.all([
    run(tsc, ['-p', 'tsconfig.declarations.json', '--outDir', typesDir]),
    run(rollup, ['-c', '--configPart', 'code']),
  ])
  await run(rollup, ['-c', '--configPart', 'types', '--configTypesDir', typesDir])
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
} finally {
  rmSync(typesDir, { recursive: true, force: true })
}
