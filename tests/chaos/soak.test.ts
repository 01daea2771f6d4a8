import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * The soak needs `global.gc`, so it runs in a child `node --expose-gc`. The script is bundled from
 * source (axios-reauth resolved to src/, as vitest does) so the soak never runs a stale dist/.
 */
const root = fileURLToPath(new URL('../../', import.meta.url))
let dir: string
let script: string

interface SoakResult {
  requests: number
  issued: number
  settled: number
  elapsedMs: number
  heapGrowthBytes: number
  resourcesBefore: string
  resourcesAfter: string
  pendingTimers: number
  longLivedListeners: number
  status: string
  unhandled: string[]
  outcomes: { fulfilled: number; canceled: number; refreshFailed: number; unexpected: number; examples: string[] }
  counts: { expiries: number; refreshCalls: number; transient: number; hangs: number; cutOff: number; spentPresented: number; issuedWhileRefreshing: number }
  retained: number
}

function soak(env: Record<string, string>): Promise<SoakResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--enable-source-maps', script],
      { env: { ...process.env, ...env }, timeout: 50_000, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop()
        if (error || !line) return reject(new Error(`the soak process failed: ${error?.message ?? 'no result'}\n${stderr}`))
        resolve(JSON.parse(line) as SoakResult)
      },
    )
  })
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'axios-reauth-soak-'))
  script = join(dir, 'soak.cjs')
  await build({
    entryPoints: [join(root, 'tests/chaos/soak-process.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    alias: { 'axios-reauth': join(root, 'src/index.ts') },
    logLevel: 'error',
  })
})

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

const MB = 1024 * 1024

describe('soak: one client, 100k requests, periodic expiry', () => {
  it('settles every request and returns to its baseline heap, timers and listeners', async () => {
    const result = await soak({ SOAK_REQUESTS: '100000' })
    const summary = JSON.stringify(result, null, 2)

    expect(result.settled, summary).toBe(result.issued)
    expect(result.outcomes.unexpected, summary).toBe(0)
    expect(result.outcomes.fulfilled, summary).toBeGreaterThan(result.issued * 0.9)
    // The hold queue is part of the soak: thousands of requests are issued while a refresh runs.
    expect(result.counts.issuedWhileRefreshing, summary).toBeGreaterThan(1_000)
    expect(result.unhandled, summary).toEqual([])
    // One refresh per expiry, plus one more after each refresh that failed without ending the
    // session: a 503, a hang, or a call that a busy machine let run past refreshTimeoutMs.
    const { expiries, transient, hangs, cutOff } = result.counts
    expect(result.counts.refreshCalls, summary).toBeLessThanOrEqual(expiries + transient + hangs + cutOff)
    expect(result.counts.spentPresented, summary).toBe(0)
    expect(result.status, summary).toBe('authenticated')
    expect(result.pendingTimers, summary).toBe(0)
    expect(result.longLivedListeners, summary).toBe(0)
    expect(result.resourcesAfter, summary).toBe(result.resourcesBefore)
    expect(result.heapGrowthBytes, summary).toBeLessThan(5 * MB)
    // About 4 s on an idle machine, 12 s with every core busy: a bound for a pathological slowdown
    // (work that grows with the requests settled so far), not a benchmark.
    expect(result.elapsedMs, summary).toBeLessThan(40_000)
  }, 60_000)

  it('notices a leak of one retained response per request', async () => {
    // The heap check above is only worth something if it can fail: keep every response on purpose.
    const result = await soak({ SOAK_REQUESTS: '20000', SOAK_RETAIN: '1' })
    expect(result.retained).toBeGreaterThan(15_000)
    expect(result.heapGrowthBytes).toBeGreaterThan(5 * MB)
  }, 60_000)
})
