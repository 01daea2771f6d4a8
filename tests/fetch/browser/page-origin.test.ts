import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleForBrowser } from '../../helpers/built-page'
import { launchChromium, newPage } from '../../helpers/chromium'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
let appScript: string
let browser: Browser
/** What each server saw: the path and the Authorization header of every request. */
let seen: Array<[string, string, string | null]> = []
const servers: Server[] = []

/** Starts a real HTTP server on 127.0.0.1; its origin is its port. */
async function serve(name: string, handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer((request, response) => {
    if (request.method !== 'OPTIONS') seen.push([name, request.url ?? '', request.headers.authorization ?? null])
    handle(request, response)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

let page0: string
let other: string

beforeAll(async () => {
  // The page runs the package as built (dist/fetch.js).
  appScript = await bundleForBrowser(here('./page-app.ts'))
  // Another origin: it allows the page's CORS requests, and answers /private with 401.
  other = await serve('other', (request, response) => {
    response.setHeader('access-control-allow-origin', page0)
    response.setHeader('access-control-allow-headers', 'authorization')
    if (request.method === 'OPTIONS') return void response.writeHead(204).end()
    response.writeHead(request.url === '/private' ? 401 : 200, { 'www-authenticate': 'Bearer error="invalid_token"' }).end()
  })
  // The page's own origin: the page, and an API that accepts the second token only.
  page0 = await serve('page', (request, response) => {
    if (request.url === '/') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/app.js"></script>')
    if (request.url === '/app.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(appScript)
    if (request.url === '/api/moved') return void response.writeHead(302, { location: `${other}/private` }).end()
    const accepted = request.headers.authorization === 'Bearer page-access-0002'
    response.writeHead(accepted ? 200 : 401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end()
  })
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
})

describe('the auth fetch in a real page', { timeout: 60_000 }, () => {
  it('sends the token to the page’s own origin only, refreshes once, and leaves a 401 a redirect brought from another origin alone', async () => {
    const { context, page, errors } = await newPage(browser)
    try {
      await page.goto(`${page0}/`)
      seen = []
      const result = await page.evaluate((to) => window.run(to), other)
      expect(result).toEqual({ refreshCalls: 1, relative: 200, foreign: 200, redirected: { status: 401, url: `${other}/private` }, status: 'authenticated' })
      expect(seen).toEqual([
        ['page', '/api/me', 'Bearer page-access-0001'],
        ['page', '/api/me', 'Bearer page-access-0002'],
        ['other', '/open', null],
        ['page', '/api/moved', 'Bearer page-access-0002'],
        // The browser drops Authorization on the redirect to another origin.
        ['other', '/private', null],
      ])
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  })
})
