// `npm run size:profile`: where the bytes of `createAuthClient` + `attach` go, by the guarantee they
// carry (scripts/size-ledger.mjs), and those of the fetch client by subsystem. esbuild bundles the
// import from src/ (jwt-decode and p-queue external, as in the "own code" budget) and reports each
// source file's minified bytes; a share of the gzip size is a share of the minified bytes, an
// apportionment (gzip does not split by file). "Strings" are the bytes of string literals: messages,
// mostly, and the names of states, events and effects.
import { gzipSync } from 'node:zlib'
import { bundleCode } from './tree-shaking.mjs'
import { ledgerOf, messagesOf, splitLiterals, stringBytesOf } from './size-ledger.mjs'

const gzip = (text) => gzipSync(text, { level: 9 }).length
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`

async function bundled(code) {
  const result = await bundleCode(code, ['axios', 'jwt-decode', 'p-queue'], { metafile: true })
  const text = result.outputFiles[0].text
  const inputs = Object.entries(Object.values(result.metafile.outputs)[0].inputs).filter(([path, input]) => path.startsWith('src/') && input.bytesInOutput > 0)
  return { text, files: new Map(inputs.map(([path, input]) => [path, input.bytesInOutput])) }
}

const table = (head, rows) => {
  const widths = head.map((cell, index) => Math.max(cell.length, ...rows.map((row) => String(row[index]).length)))
  const line = (row) => '  ' + row.map((cell, index) => (index === 0 ? String(cell).padEnd(widths[index]) : String(cell).padStart(widths[index]))).join('  ')
  console.log([line(head), ...rows.map(line)].join('\n'))
}

async function profileAxiosClient() {
  const { text, files } = await bundled("export { createAuthClient } from './src/index.ts'")
  const total = gzip(text)
  const minified = [...files.values()].reduce((sum, bytes) => sum + bytes, 0)
  const { lineOf, unlisted, twice } = ledgerOf([...files.keys()])
  if (unlisted.length || twice.length) throw new Error(`[size] scripts/size-ledger.mjs is out of date: not listed ${unlisted.join(', ') || '–'}; listed twice ${twice.join(', ') || '–'}`)
  const strings = await stringBytesOf([...files.keys()])
  const lines = new Map()
  for (const [path, bytes] of files) {
    const line = lineOf.get(path)
    const sum = lines.get(line) ?? { minified: 0, strings: 0 }
    lines.set(line, { minified: sum.minified + bytes, strings: sum.strings + Math.min(strings.get(path), bytes) })
  }
  const share = (bytes) => Math.round((bytes / minified) * total)
  console.log(`\ncreateAuthClient + attach, own code: ${kB(total)} gzip (${kB(minified)} minified), by guarantee`)
  const rows = [...lines].sort((a, b) => b[1].minified - a[1].minified)
  table(
    ['guarantee', 'why', 'minified', 'strings', '~gzip'],
    rows.map(([line, sum]) => [line.guarantee, line.why, sum.minified, sum.strings, share(sum.minified)]),
  )
  const byWhy = new Map()
  for (const [line, sum] of rows) byWhy.set(line.why, (byWhy.get(line.why) ?? 0) + sum.minified)
  console.log(`\n  by why it is in the core entry: ${[...byWhy].map(([why, bytes]) => `${why} ${kB(share(bytes))}`).join(', ')}`)
  const split = splitLiterals(text)
  console.log(`  the bundle's strings alone: ${kB(gzip(split.text))} gzip; its code with every string emptied: ${kB(gzip(split.code))} gzip`)
  // The floor of the own-code target: what errors and warnings say to name the fix, compressed alone.
  console.log(`  its messages alone (every literal with a space: what errors and warnings say): ${kB(gzip(messagesOf(text)))} gzip`)
}

// src/core/session is the biggest folder: its files are apportioned one by one.
const subsystemOf = (path) => {
  const parts = path.replace(/^src\//, '').split('/')
  if (parts[0] === 'core' && parts[1] === 'session') return `core/session/${parts[2].replace(/\.ts$/, '')}`
  return parts.length > 2 ? parts.slice(0, 2).join('/') : parts[0].replace(/\.ts$/, '')
}

async function profileFetchClient() {
  const { text, files } = await bundled("export { createAuthSession, createAuthFetch } from './src/fetch/index.ts'")
  const total = gzip(text)
  const bytes = new Map()
  for (const [path, size] of files) bytes.set(subsystemOf(path), (bytes.get(subsystemOf(path)) ?? 0) + size)
  const minified = [...bytes.values()].reduce((sum, value) => sum + value, 0)
  console.log(`\ncreateAuthSession + createAuthFetch, own code: ${kB(total)} gzip (${kB(minified)} minified), by subsystem`)
  table(
    ['subsystem', 'minified', '~gzip'],
    [...bytes].sort((a, b) => b[1] - a[1]).map(([name, size]) => [name, size, Math.round((size / minified) * total)]),
  )
}

await profileAxiosClient()
await profileFetchClient()
