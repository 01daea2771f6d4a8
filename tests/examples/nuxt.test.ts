import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run, transcript } from '../package/run-node'

// examples/nuxt, built by `npm run examples`, started as Nitro's Node server: the plugin runs
// for each server render and provides a client of its own.
const root = fileURLToPath(new URL('../../', import.meta.url))
const example = `${root}examples/nuxt`

let server: ChildProcess | undefined
let site: string
let output = ''

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })

beforeAll(async () => {
  if (!existsSync(`${example}/.output/server/index.mjs`)) {
    const built = await run(process.execPath, [`${root}scripts/examples.mjs`, 'nuxt'], { cwd: root, timeoutMs: 300_000 })
    if (built.code !== 0) throw new Error(`[examples] building nuxt failed:\n${transcript(built)}`)
  }
  const port = await freePort()
  site = `http://127.0.0.1:${port}/`
  server = spawn(process.execPath, [`${example}/.output/server/index.mjs`], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk
      if (/Listening on/i.test(output)) resolve()
    }
    server!.stdout!.on('data', onData)
    server!.stderr!.on('data', onData)
    server!.once('exit', (code) => reject(new Error(`the Nuxt server exited with ${code}:\n${output}`)))
  })
}, 360_000)

afterAll(() => {
  server?.kill()
})

describe('the Nuxt example', { timeout: 60_000 }, () => {
  it('server-renders the session through the plugin, a client per render, without errors', async () => {
    const pages = await Promise.all([fetch(site), fetch(site)])
    const html = await Promise.all(pages.map((page) => page.text()))

    expect(pages.map((page) => page.status)).toEqual([200, 200])
    for (const page of html) expect(page).toMatch(/Session: unauthenticated/)
    expect(output).not.toMatch(/error/i)
  })
})
