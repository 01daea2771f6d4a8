// `npm run size:profile`: where the bytes of `createAuthClient` + `attach` go, by subsystem.
// esbuild bundles the import from src/ (jwt-decode and p-queue external, as in the "own code"
// budget) and reports each source file's minified bytes; each subsystem's share of the gzip
// size is its share of the minified bytes, an apportionment (gzip does not split by file).
import { gzipSync } from 'node:zlib'
import { bundleCode } from './tree-shaking.mjs'

const entries = {
  'createAuthClient + attach': "export { createAuthClient } from './src/index.ts'",
  'createAuthSession + createAuthFetch': "export { createAuthSession, createAuthFetch } from './src/fetch/index.ts'",
}

// src/core/session is the biggest folder: its files are apportioned one by one.
const subsystemOf = (path) => {
  const parts = path.replace(/^src\//, '').split('/')
  if (parts[0] === 'core' && parts[1] === 'session') return `core/session/${parts[2].replace(/\.ts$/, '')}`
  return parts.length > 2 ? parts.slice(0, 2).join('/') : parts[0].replace(/\.ts$/, '')
}

async function profile(code) {
  const result = await bundleCode(code, ['axios', 'jwt-decode', 'p-queue'], { metafile: true })
  const text = result.outputFiles[0].text
  const gzip = gzipSync(text, { level: 9 }).length
  const bytes = new Map()
  for (const [path, input] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
    if (!path.startsWith('src/') || input.bytesInOutput === 0) continue
    const key = subsystemOf(path)
    bytes.set(key, (bytes.get(key) ?? 0) + input.bytesInOutput)
  }
  const minified = [...bytes.values()].reduce((sum, value) => sum + value, 0)
  return { gzip, minified, rows: [...bytes].sort((a, b) => b[1] - a[1]).map(([name, size]) => ({ name, minified: size, gzip: Math.round((size / minified) * gzip) })) }
}

for (const [name, code] of Object.entries(entries)) {
  const { gzip, minified, rows } = await profile(code)
  console.log(`\n${name}, own code: ${(gzip / 1000).toFixed(1)} kB gzip (${(minified / 1000).toFixed(1)} kB minified)`)
  console.log(`  ${'subsystem'.padEnd(36)} ${'minified'.padStart(9)} ${'~gzip'.padStart(7)}`)
  for (const row of rows) console.log(`  ${row.name.padEnd(36)} ${String(row.minified).padStart(9)} ${String(row.gzip).padStart(7)}`)
}
