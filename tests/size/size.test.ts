import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'

interface SizeLimitResult {
  name: string
  passed: boolean
  size: number
  sizeLimit: number
}

interface TreeShakingScript {
  checkTreeShaking(): Promise<{ ok: boolean; problems: string[]; details: Array<{ name: string; clean: boolean }> }>
  bundleCode(code: string, external: string[], options: { metafile: boolean }): Promise<{ metafile: { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> } }>
}

interface SizeLedgerScript {
  SIZE_LEDGER: Array<{ guarantee: string; why: string; files: string[]; tests: string[] }>
  ledgerOf(paths: string[]): { unlisted: string[]; twice: string[] }
  literalBytes(code: string): number
}

const root = new URL('../../', import.meta.url)
// Plain ESM run by node; loaded through a computed URL so the type checker does not look for its declarations.
const scriptUrl = new URL('scripts/tree-shaking.mjs', root).href
const ledgerUrl = new URL('scripts/size-ledger.mjs', root).href
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

  it('accounts for every file createAuthClient bundles in the size ledger, once, under a guarantee whose tests exist', async () => {
    const { bundleCode } = (await import(/* @vite-ignore */ scriptUrl)) as TreeShakingScript
    const { SIZE_LEDGER, ledgerOf } = (await import(/* @vite-ignore */ ledgerUrl)) as SizeLedgerScript
    const result = await bundleCode("export { createAuthClient } from './src/index.ts'", ['axios', 'jwt-decode', 'p-queue'], { metafile: true })
    const inputs = Object.values(result.metafile.outputs)[0]!.inputs
    const bundled = Object.keys(inputs).filter((path) => path.startsWith('src/') && inputs[path]!.bytesInOutput > 0)
    expect(bundled.length).toBeGreaterThan(20)
    const { unlisted, twice } = ledgerOf(bundled)
    expect({ unlisted, twice }).toEqual({ unlisted: [], twice: [] })
    // A line for a file the entry no longer bundles would be a stale account.
    const listed = SIZE_LEDGER.flatMap((line) => line.files)
    expect(listed.filter((file) => !bundled.includes(file))).toEqual([])
    expect(SIZE_LEDGER.flatMap((line) => line.tests).filter((test) => !existsSync(new URL(test, root)))).toEqual([])
    expect(new Set(SIZE_LEDGER.map((line) => line.why))).toEqual(new Set(['mission', 'quality bar', 'beyond']))
  }, 60_000)

  it('counts the string literals of code, template parts included, and nothing else', async () => {
    const { literalBytes } = (await import(/* @vite-ignore */ ledgerUrl)) as SizeLedgerScript
    expect(literalBytes('const a = 1 / 2; const b = /"x"/')).toBe(0)
    expect(literalBytes('f("abc", \'de\')')).toBe('"abc"'.length + "'de'".length)
    expect(literalBytes('f(`a${x}bc${y}d`)')).toBe('`a${'.length + '}bc${'.length + '}d`'.length)
  })
})

