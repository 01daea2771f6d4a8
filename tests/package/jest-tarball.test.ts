import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packageRoot, requireBuilt } from './built-package'
import { run, runNode, transcript } from './run-node'

// Packing and a cold Jest start on a loaded 2-core machine take tens of seconds.
const PACK_TIMEOUT_MS = 60_000
const JEST_TIMEOUT_MS = 100_000
const TEST_TIMEOUT_MS = 120_000

// Named .jest.js here so that no vitest run ever collects it; Jest finds it as .test.js.
const jestTest = fileURLToPath(new URL('./fixtures/jest-project/refresh-and-replay.jest.js', import.meta.url))
const jestBin = join(packageRoot, 'node_modules/jest/bin/jest.js')

interface JestReport {
  success: boolean
  numTotalTests: number
  numPassedTests: number
  numFailedTests: number
  testResults: { assertionResults: { title: string; status: string }[] }[]
}

// Quiet and offline: no update check, no funding or audit requests.
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }

/** A temporary directory outside the repository, so nothing resolves through its node_modules. */
let work: string
let project: string

/** Installs the packed tarball into `project` as npm would: the package, its dependencies and axios. */
async function installTarball(): Promise<void> {
  const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: packageRoot, env: npmEnv, timeoutMs: PACK_TIMEOUT_MS })
  expect(packed.code, transcript(packed)).toBe(0)
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }]
  const installed = join(project, 'node_modules/axios-reauth')
  mkdirSync(installed, { recursive: true })
  const extracted = await run('tar', ['-xzf', join(work, filename), '--strip-components=1', '-C', installed], { timeoutMs: PACK_TIMEOUT_MS })
  expect(extracted.code, transcript(extracted)).toBe(0)
  // Every runtime dependency the package declares, and the axios peer, linked from this
  // repository's install (no network); their own dependencies resolve from there.
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
  for (const name of [...Object.keys(manifest.dependencies ?? {}), 'axios']) {
    symlinkSync(join(packageRoot, 'node_modules', name), join(project, 'node_modules', name), 'dir')
  }
}

beforeAll(async () => {
  requireBuilt(['dist/index.cjs', 'dist/index.js', 'dist/index.d.ts', 'dist/index.d.cts'])
  work = mkdtempSync(join(tmpdir(), 'axios-reauth-jest-'))
  project = join(work, 'project')
  mkdirSync(project)
  // No "type": the project is CommonJS, as a CRA-style or default Jest setup is.
  const app = { name: 'cjs-app', version: '1.0.0', private: true }
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(app, null, 2)}\n`)
  copyFileSync(jestTest, join(project, 'refresh-and-replay.test.js'))
  await installTarball()
}, PACK_TIMEOUT_MS * 2)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('the packed package under Jest', () => {
  it(
    'runs a tiny Jest project against the packed tarball',
    async () => {
      const reportFile = join(work, 'jest-report.json')
      const args = [jestBin, '--rootDir', project, '--ci', '--runInBand', '--no-watchman', '--cacheDirectory', join(work, 'jest-cache'), '--json', '--outputFile', reportFile]
      const result = await runNode(args, { cwd: project, env: { ...process.env, CI: 'true' }, timeoutMs: JEST_TIMEOUT_MS })
      expect(result.code, transcript(result)).toBe(0)
      expect(result.stderr).toMatch(/Tests:\s+1 passed, 1 total/)
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JestReport
      expect(report).toMatchObject({ success: true, numTotalTests: 1, numPassedTests: 1, numFailedTests: 0 })
      expect(report.testResults.flatMap((file) => file.assertionResults)).toEqual([
        expect.objectContaining({ title: 'replays a refused request once with the refreshed token', status: 'passed' }),
      ])
    },
    TEST_TIMEOUT_MS,
  )
})
