import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { packageRoot, requireBuilt } from './built-package'

const read = (file: string) => readFileSync(join(packageRoot, file), 'utf8')
/** The bare specifiers a built file loads, in order of first appearance. */
const requiredBy = (code: string) => [...new Set([...code.matchAll(/\brequire\((['"])([^'"]+)\1\)/g)].map((match) => match[2]))]
const importedBy = (code: string) => [...new Set([...code.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*(['"])([^'"]+)\1/gm)].map((match) => match[2]))]

beforeAll(() => {
  requireBuilt(['dist/index.cjs', 'dist/react.cjs', 'dist/vue.cjs', 'dist/index.js', 'dist/fetch.cjs', 'dist/fetch.js', 'dist/dpop.cjs', 'dist/testing.cjs', 'dist/testing.js'])
})

describe('what the built entries load at run time', () => {
  // Jest cannot require() an ES module, and Node 20 hands back its namespace: a CommonJS file may
  // only require packages that ship CommonJS. p-queue (ES only) is bundled instead.
  it('requires only peers, jwt-decode and the root entry from the CommonJS files', () => {
    expect(requiredBy(read('dist/index.cjs'))).toEqual(['jwt-decode', 'axios'])
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

  it('names the packages bundled into dist/index.cjs with their licenses', () => {
    expect(read('dist/index.cjs')).toMatch(/^\/\*!\n \* Bundled for require\(\):\n \* eventemitter3@[\d.]+ \(MIT\)\n \* p-queue@[\d.]+ \(MIT\)\n \* p-timeout@[\d.]+ \(MIT\)\n \*\/\n'use strict';/)
  })

  it('keeps p-queue external in the ES build, so an app bundles one copy', () => {
    expect(importedBy(read('dist/index.js')).sort()).toEqual(['axios', 'jwt-decode', 'p-queue'])
    // The fetch glue has no replay cap, the one user of p-queue: it loads none.
    expect(importedBy(read('dist/fetch.js')).sort()).toEqual(['jwt-decode'])
  })
})
