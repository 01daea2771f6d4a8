// The size targets, measured as the budgets `npm test` enforces are: size-limit (the entries of
// .size-limit.json, on the dist/ this run built), so that the bench and the budget never disagree.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { messagesOf } from '../../scripts/size-ledger.mjs'
import { bundleCode } from '../../scripts/tree-shaking.mjs'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Gzip bytes of each .size-limit.json entry whose name starts with one of `prefixes`, by prefix. */
export function measureSizes(prefixes) {
  const run = spawnSync(process.execPath, [fileURLToPath(new URL('../../node_modules/size-limit/bin.js', import.meta.url)), '--json'], { cwd: root, encoding: 'utf8' })
  if (run.status !== 0 && !run.stdout.trim().startsWith('[')) throw new Error(`[bench] size-limit failed: ${run.stderr || run.stdout}`)
  const results = JSON.parse(run.stdout)
  return new Map(
    prefixes.map((prefix) => {
      const found = results.find((result) => result.name.startsWith(prefix))
      if (!found) throw new Error(`[bench] no entry of .size-limit.json starts with "${prefix}"`)
      return [prefix, found.size]
    }),
  )
}

/**
 * Gzip bytes of the messages alone in what `createAuthClient` + `attach` bundles (every string
 * literal with a space: what its errors and warnings say to name the fix). No own code that says
 * them can be smaller: the floor beside the own-code target.
 */
export async function measureMessages() {
  const bundle = await bundleCode("export { createAuthClient } from './src/index.ts'", ['axios', 'jwt-decode', 'p-queue'])
  return gzipSync(messagesOf(bundle.outputFiles[0].text), { level: 9 }).length
}
