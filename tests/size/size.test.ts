import { beforeAll, describe, expect, it } from 'vitest'

interface EntrySize {
  name: string
  minified: number
  gzip: number
}

interface SizeReport {
  ok: boolean
  problems: string[]
  results: EntrySize[]
  shaking: { name: string; clean: boolean; minified: number; gzip: number }[]
}

interface SizeScript {
  checkSize(): Promise<SizeReport>
}

// The script is plain ESM run by node; loaded through a computed URL so the type checker
// does not look for its declarations.
const scriptUrl = new URL('../../scripts/size.mjs', import.meta.url).href

describe('bundle size of dist/', () => {
  let report: SizeReport

  beforeAll(async () => {
    const { checkSize } = (await import(/* @vite-ignore */ scriptUrl)) as SizeScript
    // Throws with "run `npm run build` first" when dist/ is missing.
    report = await checkSize()
  }, 60_000)

  it('keeps every entry within .size-budget.json and passes the tree-shaking checks', () => {
    expect(report.problems).toEqual([])
    expect(report.ok).toBe(true)
  })

  it('measures the core with and without its dependencies, each adapter, the fetch entry and DPoP', () => {
    expect(report.results.map((entry) => entry.name)).toEqual(['core', 'core+deps', 'react', 'vue', 'fetch', 'dpop', 'testing'])
    const gzip = Object.fromEntries(report.results.map((entry) => [entry.name, entry.gzip]))
    expect(gzip['core+deps']).toBeGreaterThan(gzip.core!)
  })

  it('bundles parseWwwAuthenticate without the session, createAuthClient without adapter or DPoP code, and the fetch entry without axios', () => {
    expect(report.shaking).toEqual([
      { name: 'parseWwwAuthenticate alone', clean: true, minified: expect.any(Number), gzip: expect.any(Number) },
      { name: 'createAuthClient alone', clean: true, minified: expect.any(Number), gzip: expect.any(Number) },
      { name: 'the fetch entry', clean: true, minified: expect.any(Number), gzip: expect.any(Number) },
    ])
  })
})
