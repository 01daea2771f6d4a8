import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/chromium'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
let pageDir: string
let browser: Browser
let server: Server
let origin: string
/** The Authorization and DPoP headers of each API request, as they arrived. */
const received: Array<{ url: string; authorization: string | undefined; proof: string | undefined }> = []

beforeAll(async () => {
  pageDir = await mkdtemp(join(tmpdir(), 'reauth-dpop-'))
  // The page runs the package as built (dist/), bundled with axios for the browser.
  await build({
    entryPoints: [here('./fixture/dpop-app.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    outfile: join(pageDir, 'dpop-app.js'),
    alias: { 'axios-reauth/dpop': here('../../dist/dpop.js'), 'axios-reauth': here('../../dist/index.js') },
    logLevel: 'error',
  })
  await writeFile(join(pageDir, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"></head><body><script src="/dpop-app.js"></script></body></html>')
  server = createServer(async (req, res) => {
    if (req.url?.startsWith('/api/')) {
      received.push({ url: req.url, authorization: req.headers.authorization, proof: req.headers.dpop as string | undefined })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      return
    }
    const file = req.url === '/dpop-app.js' ? 'dpop-app.js' : 'index.html'
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(await readFile(join(pageDir, file)))
  })
  // 127.0.0.1 is a secure context: WebCrypto is there, as on https.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => server?.close(resolve))
  await rm(pageDir, { recursive: true, force: true })
})

/** Verifies a proof as a resource server would, against the key in its header. */
async function verify(proof: string, accessToken: string, path: string) {
  const header = decodeProtectedHeader(proof)
  const { payload } = await jwtVerify(proof, await importJWK(header.jwk as JWK, 'ES256'), { typ: 'dpop+jwt', algorithms: ['ES256'] })
  expect(payload).toMatchObject({ htm: 'GET', htu: `${origin}${path}`, ath: createHash('sha256').update(accessToken).digest('base64url') })
  expect(Math.abs(Number(payload.iat) - Date.now() / 1000)).toBeLessThan(60)
  return calculateJwkThumbprint(header.jwk as JWK, 'sha256')
}

describe('DPoP in Chromium', () => {
  it('makes a non-extractable key, keeps it in IndexedDB across a reload, and signs proofs that verify', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${origin}/`)
      const thumbprint = await page.evaluate(() => window.dpopApp.thumbprint())
      const key = await page.evaluate(() => window.dpopApp.storedKey())
      expect(key).toEqual({ extractable: false, exported: false, algorithm: { name: 'ECDSA', namedCurve: 'P-256' }, usages: ['sign'] })
      const accessToken = await page.evaluate(() => window.dpopApp.accessToken)

      expect(await page.evaluate(() => window.dpopApp.call('/api/orders?page=2'))).toBe(200)
      const first = received.at(-1)!
      expect(first.authorization).toBe(`DPoP ${accessToken}`)
      expect(await verify(first.proof!, accessToken, '/api/orders')).toBe(thumbprint)

      await page.reload()
      expect(await page.evaluate(() => window.dpopApp.thumbprint())).toBe(thumbprint)
      expect(await page.evaluate(() => window.dpopApp.call('/api/me'))).toBe(200)
      const second = received.at(-1)!
      expect(second.proof).not.toBe(first.proof)
      expect(await verify(second.proof!, accessToken, '/api/me')).toBe(thumbprint)
    } finally {
      await context.close()
    }
  }, 60_000)
})
