import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from './built-package'
import { run, transcript } from './run-node'

const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as Record<string, unknown>

// `npm pack` runs a child npm on a shared 2-core machine: it can take several seconds.
const PACK_TIMEOUT_MS = 60_000

describe('package metadata', () => {
  it('ships an MIT license held by the axios-reauth contributors', () => {
    const license = readFileSync(join(packageRoot, 'LICENSE'), 'utf8')
    expect(manifest.license).toBe('MIT')
    expect(license).toMatch(/^MIT License\n/)
    expect(license).toMatch(/^Copyright \(c\) \d{4} axios-reauth contributors$/m)
  })

  it('names the repository, the homepage and where to report bugs', () => {
    expect(manifest.repository).toEqual({ type: 'git', url: 'git+https://github.com/axios-reauth/axios-reauth.git' })
    expect(manifest.homepage).toBe('https://github.com/axios-reauth/axios-reauth#readme')
    expect(manifest.bugs).toEqual({ url: 'https://github.com/axios-reauth/axios-reauth/issues' })
    expect(manifest.keywords).toEqual(expect.arrayContaining(['axios', 'refresh-token', 'react', 'vue']))
  })

  it(
    'puts the license, the readme and the entries in the published tarball',
    async () => {
      const result = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: packageRoot, timeoutMs: PACK_TIMEOUT_MS })
      expect(result.code, transcript(result)).toBe(0)
      const [pack] = JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>
      const paths = pack!.files.map((file) => file.path)
      expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'react/package.json', 'vue/package.json', 'fetch/package.json', 'dist/fetch.js', 'dist/fetch.cjs', 'dist/fetch.d.ts', 'dpop/package.json', 'testing/package.json', 'dist/testing.js', 'dist/testing.cjs', 'dist/testing.d.ts']))
    },
    PACK_TIMEOUT_MS + 10_000,
  )
})
