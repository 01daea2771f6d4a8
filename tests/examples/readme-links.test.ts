import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const examples = readdirSync(`${root}examples`, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name)

describe('the examples', () => {
  it('are each linked from a README recipe', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8')
    expect(examples.length).toBeGreaterThanOrEqual(6)
    expect(examples.filter((name) => !readme.includes(`](examples/${name}`))).toEqual([])
  })

  it('are each built or run by npm run examples', () => {
    const script = readFileSync(`${root}scripts/examples.mjs`, 'utf8')
    expect(examples.filter((name) => !script.includes(`'${name}'`) && !script.includes(`  ${name}:`))).toEqual([])
  })
})
