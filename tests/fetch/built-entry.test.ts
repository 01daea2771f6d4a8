import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packageRoot, requireBuilt } from '../package/built-package'
import { runNode, transcript } from '../package/run-node'

// A child Node process on a loaded 2-core machine can take several seconds to start.
const CHILD_TIMEOUT_MS = 60_000

let seen: string[] = []
let server: Server
let baseURL: string
/** An app outside the repository with the package copied in, as installed, and no axios beside it. */
let app: string

beforeAll(async () => {
  requireBuilt(['dist/fetch.js', 'dist/fetch.cjs'])
  server = createServer((request, response) => {
    seen.push(request.headers.authorization ?? '')
    if (request.headers.authorization === 'Bearer fresh-access-token-0002') response.writeHead(200, { 'content-type': 'application/json' }).end('{"user":"ada"}')
    else response.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  app = realpathSync(mkdtempSync(join(tmpdir(), 'axios-reauth-fetch-only-')))
  const installed = join(app, 'node_modules', 'axios-reauth')
  mkdirSync(installed, { recursive: true })
  cpSync(join(packageRoot, 'package.json'), join(installed, 'package.json'))
  // dist/ as it is installed: the entries and the core chunk they share.
  cpSync(join(packageRoot, 'dist'), join(installed, 'dist'), { recursive: true })
  // The runtime dependencies, and nothing else: axios is not there.
  for (const name of ['jwt-decode', 'p-queue']) symlinkSync(realpathSync(join(packageRoot, 'node_modules', name)), join(app, 'node_modules', name), 'dir')
  cpSync(fileURLToPath(new URL('./fixtures/fetch-only-app.mjs', import.meta.url)), join(app, 'app.mjs'))
})

afterAll(async () => {
  if (app) rmSync(app, { recursive: true, force: true })
  if (server) await new Promise((resolve) => server.close(resolve))
})

describe('the built axios-reauth/fetch entry', () => {
  it(
    'loads dist/fetch.js and dist/fetch.cjs through the exports map in an app without axios, and refreshes and replays through each',
    async () => {
      const result = await runNode([join(app, 'app.mjs'), baseURL], { cwd: app, timeoutMs: CHILD_TIMEOUT_MS })
      expect(result.code, transcript(result)).toBe(0)
      const replayed = { refreshCalls: 1, status: 200, data: { user: 'ada' }, isReauthError: 'function' }
      expect(JSON.parse(result.stdout)).toEqual({
        resolved: { import: `file://${app}/node_modules/axios-reauth/dist/fetch.js`, require: `${app}/node_modules/axios-reauth/dist/fetch.cjs` },
        esm: replayed,
        cjs: replayed,
        // The root entry needs axios; the fetch entry does not.
        root: 'ERR_MODULE_NOT_FOUND',
      })
      expect(seen).toEqual(['Bearer refused-access-token-0001', 'Bearer fresh-access-token-0002', 'Bearer refused-access-token-0001', 'Bearer fresh-access-token-0002'])
    },
    CHILD_TIMEOUT_MS + 10_000,
  )
})
