#!/usr/bin/env node
// npm run test:stress [-- --runs 3 --burners 2 --minutes 12 --files tests/chaos,tests/browser]
//
// Reruns the timing-sensitive suites several times while busy loops keep every core loaded, and
// reports every test and chaos seed that failed even once. A test that passes only on an idle
// machine fails here first, not in CI on a shared machine. Not part of `npm test`.
//
// Every process it starts (the busy loops, each vitest run) is ended by its PID on exit, on
// Ctrl-C and on errors. The whole stress run is bounded by --minutes: a vitest run still going
// then is ended and counted as failed.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

const DEFAULT_FILES = ['tests/chaos', 'tests/axios', 'tests/browser', 'tests/e2e', 'tests/demo']

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    burners: { type: 'string', default: String(cpus().length) },
    minutes: { type: 'string', default: '12' },
    files: { type: 'string', default: DEFAULT_FILES.join(',') },
    'skip-build': { type: 'boolean', default: false },
  },
})
const runs = positive('runs', values.runs)
const burnerCount = Number(values.burners)
const deadline = Date.now() + positive('minutes', values.minutes) * 60_000
const files = values.files.split(',').filter(Boolean)

function positive(name, text) {
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0) fail(`--${name} must be a positive number, got "${text}"`)
  return value
}

function fail(message) {
  console.error(`[stress] ${message}`)
  process.exit(2)
}

/** Every child still running, by PID; each is a process group leader, so its own children go with it. */
const children = new Map()
const workDir = mkdtempSync(join(tmpdir(), 'axios-reauth-stress-'))

function endChild(pid) {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
  children.delete(pid)
}

/** Set once a run failed: its full output is kept in workDir for a look afterwards. */
let keepWorkDir = false

function cleanUp() {
  for (const pid of [...children.keys()]) endChild(pid)
  if (!keepWorkDir) rmSync(workDir, { recursive: true, force: true })
}

process.on('exit', cleanUp)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\n[stress] ${signal}: ending every process it started`)
    cleanUp()
    process.exit(130)
  })
}
process.on('uncaughtException', (error) => {
  console.error('[stress] failed:', error)
  cleanUp()
  process.exit(2)
})

function start(command, args, options = {}) {
  const child = spawn(command, args, { detached: true, ...options })
  children.set(child.pid, child)
  child.once('exit', () => children.delete(child.pid))
  return child
}

/** Runs a command to its end (or to the deadline); resolves with its exit code, the signal that ended it, or `timeout`. */
function run(command, args, options = {}, onStart = () => {}) {
  return new Promise((resolve) => {
    const child = start(command, args, options)
    onStart(child)
    const timer = setTimeout(() => {
      endChild(child.pid)
      resolve('timeout')
    }, Math.max(0, deadline - Date.now()))
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      resolve(code ?? signal)
    })
  })
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`
const indent = (text) => text.replace(/^/gm, '    ')

if (!values['skip-build']) {
  // The browser suites load the package as built (dist/).
  console.log('[stress] building dist/')
  const out = []
  const code = await run('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'pipe', 'pipe'] }, (child) => {
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => out.push(chunk))
  })
  if (code !== 0) fail(`npm run build failed (${code}):\n${Buffer.concat(out).toString('utf8')}`)
}

for (let k = 0; k < burnerCount; k++) start(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })
console.log(`[stress] ${burnerCount} busy loops running (PIDs ${[...children.keys()].join(', ')}); ${runs} runs of ${files.join(' ')}`)

/** By test name (file > full name): the runs it failed in. Likewise by chaos seed. */
const failedTests = new Map()
const failedSeeds = new Map()
const note = (map, key, k) => map.set(key, [...new Set([...(map.get(key) ?? []), k])])
const timings = []

for (let k = 1; k <= runs; k++) {
  if (Date.now() >= deadline) {
    note(failedTests, `run ${k} never started: the time bound (--minutes ${values.minutes}) was reached`, k)
    continue
  }
  const report = join(workDir, `run-${k}.json`)
  const started = Date.now()
  const args = ['vitest', 'run', ...files, '--reporter=dot', '--reporter=json', `--outputFile.json=${report}`]
  // The output is kept for the failure report; vitest's own progress stays out of the way.
  const out = []
  const keep = (child) => {
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => out.push(chunk))
  }
  const { FORCE_COLOR, ...env } = process.env
  const code = await run('npx', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, NO_COLOR: '1' } }, keep)
  const elapsed = Date.now() - started
  timings.push(elapsed)
  const failures = readFailures(report)
  if (code === 'timeout') note(failedTests, `run ${k} was ended at the time bound (--minutes ${values.minutes})`, k)
  else if (code !== 0 && failures.tests.length === 0) {
    const how = typeof code === 'string' ? `was ended by ${code} from outside` : `exited ${code}`
    note(failedTests, `run ${k}: vitest ${how} without a failed test (see its full output)`, k)
  }
  for (const name of failures.tests) note(failedTests, name, k)
  for (const seed of failures.seeds) note(failedSeeds, seed, k)
  const status =
    code === 'timeout' ? 'ended at the time bound' : typeof code === 'string' ? `ended by ${code}` : failures.tests.length === 0 && code === 0 ? 'passed' : `${failures.tests.length} failed`
  console.log(`[stress] run ${k}/${runs}: ${status} in ${seconds(elapsed)}`)
  if (code !== 0) {
    keepWorkDir = true
    const log = join(workDir, `run-${k}.log`)
    writeFileSync(log, Buffer.concat(out))
    for (const message of failures.messages) console.log(indent(message))
    console.log(`[stress] run ${k}'s full output: ${log}`)
  }
}

/** Failed tests and chaos seeds from one vitest JSON report (none if the report is missing). */
function readFailures(path) {
  let report
  try {
    report = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return { tests: [], messages: [], seeds: [] }
  }
  const tests = []
  const messages = []
  const seeds = new Set()
  for (const file of report.testResults ?? []) {
    const name = file.name.replace(`${process.cwd()}/`, '')
    const failed = (file.assertionResults ?? []).filter((test) => test.status === 'failed')
    if (file.status === 'failed' && failed.length === 0) tests.push(`${name} (the file did not run: ${(file.message ?? '').split('\n')[0]})`)
    for (const test of failed) {
      tests.push(`${name} > ${test.fullName}`)
      for (const message of test.failureMessages ?? []) {
        messages.push(`${name} > ${test.fullName}\n${message.split('\n').slice(0, 40).join('\n')}`)
        for (const [, seed] of message.matchAll(/CHAOS_SEED=(\d+)/g)) seeds.add(Number(seed))
      }
    }
  }
  return { tests, messages, seeds: [...seeds] }
}

const total = timings.reduce((sum, ms) => sum + ms, 0)
console.log(`\n[stress] ${timings.length} runs, ${seconds(total)} in all (slowest ${seconds(Math.max(0, ...timings))}), ${burnerCount} busy loops on ${cpus().length} cores`)
if (failedTests.size === 0) {
  console.log('[stress] nothing failed in any run')
} else {
  console.log('[stress] failed at least once:')
  for (const [name, inRuns] of failedTests) console.log(`  ${name}  (run ${inRuns.join(', ')})`)
  for (const [seed, inRuns] of [...failedSeeds].sort(([a], [b]) => a - b)) {
    console.log(`  chaos seed ${seed} (run ${inRuns.join(', ')}): replay with CHAOS_SEED=${seed} npx vitest run tests/chaos/chaos.test.ts`)
  }
}
cleanUp()
process.exit(failedTests.size === 0 ? 0 : 1)
