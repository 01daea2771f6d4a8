import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthApi } from '../../demo/server/auth-api.mjs'
import { launchChromium, newPage, type OpenedPage } from '../helpers/chromium'
import { serveExample } from './served-example'

// examples/vue-router-query, built, in real Chromium against the demo auth API. Waits poll the
// page (bounded); nothing sleeps.
const WAIT = { timeout: 20_000 }

let browser: Browser
let server: AuthApi
let opened: OpenedPage
let page: Page

beforeAll(async () => {
  ;[server, browser] = await Promise.all([serveExample('vue-router-query'), launchChromium()])
  opened = await newPage(browser)
  page = opened.page
}, 150_000)

afterAll(async () => {
  await opened?.context.close()
  await browser?.close()
  await server?.close()
})

describe('the Vue + vue-router + vue-query example', { timeout: 60_000 }, () => {
  it('sends a signed-out visitor to the login page and back to the page asked for after signing in', async () => {
    await page.goto(`${server.url}/#/`)
    await page.getByTestId('login-page').waitFor(WAIT)
    expect(new URL(page.url()).hash).toBe('#/login?returnTo=/')
    await page.getByTestId('login').click()
    await page.getByTestId('item').waitFor(WAIT)
    expect(new URL(page.url()).hash).toBe('#/')
  })

  it('refreshes once when a query meets an expired token, and replays it', async () => {
    const before = await page.getByTestId('item-at').textContent()
    server.control.reset()
    server.control.expireAccessTokens()
    await page.getByTestId('refetch').click()
    await page.waitForFunction((at) => document.querySelector('[data-testid="item-at"]')?.textContent !== at, before, WAIT)

    expect(server.stats).toMatchObject({ api401: 1, refreshCalls: 1, refreshSuccesses: 1, apiSuccesses: 1 })
  })

  it('redirects to the login page with returnTo when the session ends, with no retry', async () => {
    server.control.reset()
    server.control.revokeAll()
    await page.getByTestId('refetch').click()
    await page.getByTestId('login-page').waitFor(WAIT)

    expect(new URL(page.url()).hash).toBe('#/login?returnTo=/')
    expect(server.stats).toMatchObject({ apiRequests: 1, refreshCalls: 1, refreshSuccesses: 0 })
    expect(opened.errors).toEqual([])
  })
})
