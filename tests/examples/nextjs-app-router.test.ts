import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAuthApi, type AuthApi, type AuthApiTokenResponse } from '../../demo/server/auth-api.mjs'
import { run, transcript } from '../package/run-node'

// examples/nextjs-app-router, built by `npm run examples`, served by `next start` against the
// demo auth API: each server render makes a client of its own from its request's cookies.
const root = fileURLToPath(new URL('../../', import.meta.url))
const example = `${root}examples/nextjs-app-router`

let api: AuthApi
let next: ChildProcess | undefined
let site: string

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })

async function login(): Promise<AuthApiTokenResponse> {
  const response = await fetch(`${api.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"ada","password":"secret"}' })
  return (await response.json()) as AuthApiTokenResponse
}

const render = async (cookie?: string) => (await fetch(site, { headers: cookie ? { cookie } : {} })).text()

beforeAll(async () => {
  if (!existsSync(`${example}/.next/BUILD_ID`)) {
    const built = await run(process.execPath, [`${root}scripts/examples.mjs`, 'nextjs-app-router'], { cwd: root, timeoutMs: 300_000 })
    if (built.code !== 0) throw new Error(`[examples] building nextjs-app-router failed:\n${transcript(built)}`)
  }
  api = await startAuthApi({ accessTtlSeconds: 300 })
  const port = await freePort()
  site = `http://127.0.0.1:${port}/`
  next = spawn(`${root}node_modules/.bin/next`, ['start', '-p', String(port), '-H', '127.0.0.1'], { cwd: example, env: { ...process.env, API_URL: api.url, NEXT_TELEMETRY_DISABLED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk
      if (/Ready in|started server/i.test(output)) resolve()
    }
    next!.stdout!.on('data', onData)
    next!.stderr!.on('data', (chunk: Buffer) => (output += chunk))
    next!.once('exit', (code) => reject(new Error(`next start exited with ${code}:\n${output}`)))
  })
}, 360_000)

afterAll(async () => {
  next?.kill()
  await api?.close()
})

describe('the Next.js App Router example', { timeout: 60_000 }, () => {
  it('renders with the token of each request, and a signed-out request gets no one else’s', async () => {
    const ada = await login()
    api.control.reset()
    const [signedIn, signedOut] = await Promise.all([render(`access_token=${ada.access_token}; refresh_token=${ada.refresh_token}`), render()])

    expect(signedIn).toContain('Item <!-- -->1<!-- -->, fetched on the server')
    expect(signedOut).toContain('Sign in')
    expect(signedOut).not.toContain('fetched on the server')
    expect(api.stats).toMatchObject({ apiRequests: 2, apiSuccesses: 1, api401: 1, refreshCalls: 0 })
    expect(api.stats.events.find((event) => event.type === '401')?.detail).toMatch(/no token/)
  })

  it('refreshes on the server when the request’s access token has expired, and replays', async () => {
    const ada = await login()
    api.control.expireAccessTokens()
    api.control.reset()
    const html = await render(`access_token=${ada.access_token}; refresh_token=${ada.refresh_token}`)

    expect(html).toContain('fetched on the server')
    expect(api.stats).toMatchObject({ api401: 1, refreshCalls: 1, refreshSuccesses: 1, apiSuccesses: 1 })
  })
})
