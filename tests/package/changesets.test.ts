import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from './built-package'
import { runNode, transcript } from './run-node'

// A child Node process on a loaded 2-core machine can take several seconds to start.
const CHILD_TIMEOUT_MS = 60_000

describe('changesets', () => {
  it('uses the offline default changelog writer', () => {
    const config = JSON.parse(readFileSync(join(packageRoot, '.changeset/config.json'), 'utf8')) as { changelog: unknown }
    expect(config.changelog).toBe('@changesets/cli/changelog')
  })

  it(
    'runs on this Node and plans a minor release of axios-reauth from the pending changesets',
    async () => {
      const result = await runNode(['.changeset/run.mjs', 'status'], { cwd: packageRoot, timeoutMs: CHILD_TIMEOUT_MS })
      expect(result.code, transcript(result)).toBe(0)
      expect(result.stdout.replace(/\s+/g, ' ')).toContain('minor - axios-reauth')
    },
    CHILD_TIMEOUT_MS + 10_000,
  )

  it('keeps a changelog', () => {
    expect(readFileSync(join(packageRoot, 'CHANGELOG.md'), 'utf8')).toMatch(/^# axios-reauth\n[\s\S]*^## 0\.1\.0$/m)
  })
})
