import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { packageRoot, requireBuilt } from './built-package'
import { runNode, transcript } from './run-node'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const builtCjs = join(packageRoot, 'dist/index.cjs')

// A child Node process on a loaded 2-core machine can take several seconds to start.
const CHILD_TIMEOUT_MS = 60_000
const TEST_TIMEOUT_MS = 90_000

interface ReplayResult {
  entry: string
  refreshCalls: number
  status: number
  data: unknown
  isReauthError: string
}

/** What the API saw: the Authorization header of each request, in order. */
let seen: string[] = []
let server: Server
let baseURL: string
/** A directory outside the repository whose node_modules links the package, as an app installs it. */
let app: string

beforeAll(async () => {
  requireBuilt(['dist/index.cjs', 'dist/react.cjs', 'dist/vue.cjs', 'dist/testing.cjs'])
  server = createServer((request, response) => {
    const authorization = request.headers.authorization ?? ''
    seen.push(authorization)
    if (authorization === 'Bearer fresh-access-token-0002') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ user: 'ada' }))
    } else {
      response.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  app = mkdtempSync(join(tmpdir(), 'axios-reauth-cjs-'))
  mkdirSync(join(app, 'node_modules'))
  symlinkSync(packageRoot, join(app, 'node_modules', 'axios-reauth'), 'dir')
})

afterAll(async () => {
  if (app) rmSync(app, { recursive: true, force: true })
  if (server) await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  seen = []
})

async function refreshAndReplay(specifier: string, resolveFrom: string): Promise<ReplayResult> {
  const result = await runNode([fixture('refresh-and-replay.cjs'), specifier, resolveFrom, baseURL], { timeoutMs: CHILD_TIMEOUT_MS })
  expect(result.code, transcript(result)).toBe(0)
  return JSON.parse(result.stdout) as ReplayResult
}

describe('the CommonJS entry', () => {
  it(
    'loads dist/index.cjs in a child Node process and runs one refresh-and-replay',
    async () => {
      const result = await refreshAndReplay(builtCjs, packageRoot)
      expect(result).toEqual({ entry: realpathSync(builtCjs), refreshCalls: 1, status: 200, data: { user: 'ada' }, isReauthError: 'function' })
      expect(seen).toEqual(['Bearer refused-access-token-0001', 'Bearer fresh-access-token-0002'])
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'resolves require("axios-reauth") to dist/index.cjs through the exports map and runs one refresh-and-replay',
    async () => {
      const result = await refreshAndReplay('axios-reauth', app)
      expect(result).toEqual({ entry: realpathSync(builtCjs), refreshCalls: 1, status: 200, data: { user: 'ada' }, isReauthError: 'function' })
      expect(seen).toEqual(['Bearer refused-access-token-0001', 'Bearer fresh-access-token-0002'])
    },
    TEST_TIMEOUT_MS,
  )

  it.each(['require', 'import'])(
    'caps the replays with replayConcurrency when loaded with %s(), loading p-queue on demand',
    async (how) => {
      const result = await runNode([fixture('replay-cap.cjs'), how, app], { timeoutMs: CHILD_TIMEOUT_MS })
      expect(result.code, transcript(result)).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual({ ok: 12, mostAtOnce: 2 })
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'loads axios-reauth/react and axios-reauth/vue with require() and server-renders the session through each',
    async () => {
      const result = await runNode([fixture('render-adapters.cjs'), app], { timeoutMs: CHILD_TIMEOUT_MS })
      expect(result.code, transcript(result)).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual({
        react: { exports: { AuthProvider: 'function', loginRedirect: 'function', returnTo: 'function', useAuthClient: 'function', useAuth: 'function' }, html: '<p>authenticated</p>' },
        vue: { exports: { authPlugin: 'object', useAuth: 'function', loginRedirect: 'function', returnTo: 'function' }, html: '<p>authenticated</p>' },
      })
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'loads axios-reauth/testing with require() and refreshes through its fake auth server',
    async () => {
      const result = await runNode([fixture('testing-entry.cjs'), app], { timeoutMs: CHILD_TIMEOUT_MS })
      expect(result.code, transcript(result)).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual({
        exports: { createFakeAuthServer: 'function', expireNow: 'function', fakeToken: 'function', FakeRefreshError: 'function' },
        refreshCalls: 1,
        rotated: true,
        endedWith: 'LoginRequiredError',
      })
    },
    TEST_TIMEOUT_MS,
  )
})
