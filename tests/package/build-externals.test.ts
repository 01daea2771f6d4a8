import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runNode, transcript } from './run-node'
import { packageRoot, requireBuilt } from './built-package'

const read = (file: string) => readFileSync(join(packageRoot, file), 'utf8')
/** The specifiers a built file loads, in order of first appearance; `bare` leaves out its own files (`./shared/…`). */
const specifiers = (code: string, pattern: RegExp, bare = true) => [...new Set([...code.matchAll(pattern)].map((match) => match[2]!))].filter((name) => !bare || !name.startsWith('.'))
const requiredBy = (code: string, bare?: boolean) => specifiers(code, /\brequire\((['"])([^'"]+)\1\)/g, bare)
const importedBy = (code: string, bare?: boolean) => specifiers(code, /^(?:import|export)\b(?:[^;'"]*?\bfrom)?\s*(['"])([^'"]+)\1/gm, bare)

beforeAll(() => {
  requireBuilt(['dist/index.cjs', 'dist/react.cjs', 'dist/vue.cjs', 'dist/index.js', 'dist/fetch.cjs', 'dist/fetch.js', 'dist/dpop.cjs', 'dist/testing.cjs', 'dist/testing.js'])
})

describe('what the built entries load at run time', () => {
  // Jest cannot require() an ES module, and Node 20 hands back its namespace: a CommonJS file may
  // only require packages that ship CommonJS. p-queue (ES only) is bundled instead, in a chunk of
  // its own that only a client with replayConcurrency requires.
  it('requires only peers, jwt-decode and the root entry from the CommonJS files', () => {
    expect(requiredBy(read('dist/index.cjs')).sort()).toEqual(['axios', 'jwt-decode'])
    expect(requiredBy(read('dist/react.cjs'))).toEqual(['react/jsx-runtime', 'axios-reauth', 'react'])
    expect(requiredBy(read('dist/vue.cjs'))).toEqual(['axios-reauth', 'vue'])
    // The fetch entry carries the core and never loads axios: a fetch-only app has none.
    expect(requiredBy(read('dist/fetch.cjs'))).toEqual(['jwt-decode'])
    expect(requiredBy(read('dist/dpop.cjs'))).toEqual(['axios-reauth'])
    expect(requiredBy(read('dist/testing.cjs'))).toEqual(['axios-reauth'])
  })

  it('keeps the testing entry free of any test framework: it loads the root entry only', () => {
    expect(importedBy(read('dist/testing.js'))).toEqual(['axios-reauth'])
  })

  it('bundles p-queue for require() in a chunk of its own, loaded on demand, that names the packages it carries with their licenses', () => {
    const onDemand = [...read('dist/index.cjs').matchAll(/Promise\.resolve\(\)\.then\(function \(\) \{ return require\('(\.\/shared\/p-queue-[^']+\.cjs)'\); \}\)/g)].map((match) => match[1]!)
    expect(onDemand).toHaveLength(1)
    expect(read(join('dist', onDemand[0]!))).toMatch(/^\/\*!\n \* Bundled for require\(\):\n \* eventemitter3@[\d.]+ \(MIT\)\n \* p-queue@[\d.]+ \(MIT\)\n \* p-timeout@[\d.]+ \(MIT\)\n \*\/\n'use strict';/)
    // The root entry itself carries no package: it starts with its code.
    expect(read('dist/index.cjs')).toMatch(/^'use strict';/)
  })

  it('keeps p-queue external in the ES build, imported on demand, so an app bundles one copy and only loads it for replayConcurrency', () => {
    expect(importedBy(read('dist/index.js')).sort()).toEqual(['axios', 'jwt-decode'])
    expect([...read('dist/index.js').matchAll(/\bimport\((['"])([^'"]+)\1\)/g)].map((match) => match[2])).toEqual(['p-queue'])
    // The fetch glue has no replay cap, the one user of p-queue: it loads none.
    expect(importedBy(read('dist/fetch.js')).sort()).toEqual(['jwt-decode'])
    expect(read('dist/fetch.js')).not.toMatch(/\bimport\(/)
  })

  it('gives the root and the fetch entry one core, in a chunk of their own that loads no axios', () => {
    const chunkOf = (code: string) => importedBy(code, false).filter((name) => name.startsWith('./shared/'))
    for (const [root, fetch] of [['dist/index.js', 'dist/fetch.js'], ['dist/index.cjs', 'dist/fetch.cjs']] as const) {
      const shared = root.endsWith('.cjs') ? (code: string) => requiredBy(code, false).filter((name) => name.startsWith('./shared/core-')) : chunkOf
      expect(shared(read(root))).toHaveLength(1)
      expect(shared(read(fetch))).toEqual(shared(read(root)))
      const chunk = read(join('dist', shared(read(root))[0]!))
      expect([...importedBy(chunk), ...requiredBy(chunk)]).not.toContain('axios')
    }
  })

  it('leaves no chunk of an earlier build in dist/shared/: every chunk there is loaded by an entry', () => {
    const entries = ['index.js', 'index.cjs', 'fetch.js', 'fetch.cjs'].map((file) => read(join('dist', file))).join('\n')
    const chunks = readdirSync(join(packageRoot, 'dist/shared')).filter((file) => !file.endsWith('.map'))
    expect(chunks.filter((file) => !entries.includes(`./shared/${file}`))).toEqual([])
  })

  it('throws the same error classes from both entries, in ESM and in CommonJS, so instanceof holds across them', async () => {
    const script = `
      const esm = [await import('axios-reauth'), await import('axios-reauth/fetch')]
      const { createRequire } = await import('node:module')
      const require = createRequire(process.cwd() + '/')
      const cjs = [require('axios-reauth'), require('axios-reauth/fetch')]
      const same = (pair) => ['LoginRequiredError', 'ReauthError', 'ConfigurationError'].every((name) => pair[0][name] === pair[1][name])
      const auth = esm[0].createAuthClient({ refresh: async () => { throw Object.assign(new Error('refused'), { response: { status: 400 } }) } })
      const authFetch = esm[1].createAuthFetch(auth, { fetch: async () => new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer' } }), baseURL: 'https://api.test' })
      const error = await authFetch('https://api.test/me').catch((caught) => caught)
      console.log(JSON.stringify({ esm: same(esm), cjs: same(cjs), rootClass: error instanceof esm[0].LoginRequiredError, fetchClass: error instanceof esm[1].LoginRequiredError }))
    `
    const result = await runNode(['--input-type=module', '-e', script], { cwd: packageRoot, timeoutMs: 60_000 })
    expect(result.code, transcript(result)).toBe(0)
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toEqual({ esm: true, cjs: true, rootClass: true, fetchClass: true })
  }, 70_000)
})
