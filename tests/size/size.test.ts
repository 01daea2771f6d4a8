import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'

interface SizeLimitResult {
  name: string
  passed: boolean
  size: number
  sizeLimit: number
}

interface TreeShakingScript {
  checkTreeShaking(): Promise<{ ok: boolean; problems: string[]; details: Array<{ name: string; clean: boolean }> }>
}

const root = new URL('../../', import.meta.url)
// Plain ESM run by node; loaded through a computed URL so the type checker does not look for its declarations.
const scriptUrl = new URL('scripts/tree-shaking.mjs', root).href
const configured = JSON.parse(readFileSync(new URL('.size-limit.json', root), 'utf8')) as Array<{ name: string; path: string }>

describe('bundle size of dist/', () => {
  let results: SizeLimitResult[]

  beforeAll(() => {
    const run = spawnSync(process.execPath, [new URL('node_modules/size-limit/bin.js', root).pathname, '--json'], { cwd: root, encoding: 'utf8' })
    results = JSON.parse(run.stdout) as SizeLimitResult[]
  }, 120_000)

  it('keeps every entry of .size-limit.json within its limit', () => {
    expect(results.filter((result) => !result.passed)).toEqual([])
  })

  it('measures every public entry of the package', () => {
    const exported = Object.keys((JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { exports: Record<string, unknown> }).exports).filter((name) => name !== './package.json')
    const measured = new Set(configured.map((entry) => entry.path.replace(/^dist\/(.*)\.js$/, '$1')))
    expect(exported.map((name) => (name === '.' ? 'index' : name.slice(2))).filter((name) => !measured.has(name))).toEqual([])
    expect(results.map((result) => result.name)).toEqual(configured.map((entry) => entry.name))
  })

  it('measures createAuthClient with its dependencies above its own code', () => {
    const size = (prefix: string) => results.find((result) => result.name.startsWith(prefix))!.size
    expect(size('createAuthClient + attach, with')).toBeGreaterThan(size('createAuthClient + attach, own code'))
  })

  it('bundles parseWwwAuthenticate without the session, createAuthClient without adapter, DPoP, diagnose, cross-tab or scheduler code, each opt-in alone, and the fetch entry without axios', async () => {
    const { checkTreeShaking } = (await import(/* @vite-ignore */ scriptUrl)) as TreeShakingScript
    const report = await checkTreeShaking()
    expect(report.problems).toEqual([])
    expect(report.details.map((detail) => [detail.name, detail.clean])).toEqual([
      ['parseWwwAuthenticate alone', true],
      ['createAuthClient alone', true],
      ['createAuthClient with crossTab', true],
      ['createAuthClient with scheduledRefresh', true],
      ['createAuthSession and createAuthFetch', true],
      ['the fetch entry', true],
    ])
  }, 60_000)
})
