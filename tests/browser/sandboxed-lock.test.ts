import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleForBrowser } from '../helpers/built-page'
import { launchChromium, newPage } from '../helpers/chromium'

interface Report {
  lockDenial?: string
  outcomes: string[]
  refreshCalls: number
  warnings: string[]
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
// localhost is a secure context, where browsers expose Web Locks at all.
const ORIGIN = 'http://localhost:5999'
// Frames the app in a sandbox without allow-same-origin, and keeps what the frame reports.
const PARENT_PAGE = `<!doctype html>
<script>addEventListener('message', (event) => { if (event.data?.type === 'sandboxed-report') window.sandboxedReport = event.data })</script>
<iframe sandbox="allow-scripts" src="/frame.html"></iframe>`
let appScript: string
let browser: Browser

beforeAll(async () => {
  // The frame runs the package as built (dist/).
  appScript = await bundleForBrowser(here('./fixture/sandboxed-app.ts'))
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
})

describe('a sandboxed iframe, where Web Locks are denied', { timeout: 60_000 }, () => {
  it('refreshes without the lock, calling refresh once per refresh, with one warning', async () => {
    const { context, page, errors } = await newPage(browser)
    try {
      // Served by the test itself, so no server is needed.
      await page.route(`${ORIGIN}/**`, (route) => {
        const path = new URL(route.request().url()).pathname
        if (path === '/app.js') return route.fulfill({ contentType: 'text/javascript', body: appScript })
        if (path === '/frame.html') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><script src="/app.js"></script>' })
        return route.fulfill({ contentType: 'text/html', body: PARENT_PAGE })
      })
      await page.goto(`${ORIGIN}/`)
      const handle = await page.waitForFunction(() => (window as { sandboxedReport?: unknown }).sandboxedReport, undefined, { timeout: 30_000 })
      const message = (await handle.jsonValue()) as { result?: Report; failure?: string }
      expect(message.failure).toBeUndefined()
      const report = message.result!
      // The browser really denies the lock here: the condition is real, not simulated.
      expect(report.lockDenial).toBe('SecurityError')
      expect(report.outcomes).toEqual(['resolved sandboxed-access-2', 'resolved sandboxed-access-3'])
      expect(report.refreshCalls).toBe(2)
      expect(report.warnings).toEqual([expect.stringMatching(/^\[axios-reauth\] The cross-tab lock could not be taken \(SecurityError\)/)])
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  })
})
