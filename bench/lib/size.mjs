// The size targets, measured as the budgets `npm test` enforces are: size-limit (the entries of
// .size-limit.json, on the dist/ this run built), so that the bench and the budget never disagree.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

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
