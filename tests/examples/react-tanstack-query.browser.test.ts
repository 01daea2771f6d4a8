import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthApi } from '../../demo/server/auth-api.mjs'
import { launchChromium, newPage, type OpenedPage } from '../helpers/chromium'
import { serveExample } from './served-example'

// examples/react-tanstack-query, built, in real Chromium against the demo auth API. Waits poll
// the page (bounded); nothing sleeps.
const WAIT = { timeout: 20_000 }

let browser: Browser
let server: AuthApi
let opened: OpenedPage
let page: Page

beforeAll(async () => {
  ;[server, browser] = await Promise.all([serveExample('react-tanstack-query'), launchChromium()])
  opened = await newPage(browser)
  page = opened.page
  await page.goto(server.url)
  await page.getByTestId('login').click()
  await page.getByTestId('item').waitFor(WAIT)
}, 150_000)

afterAll(async () => {
  await opened?.context.close()
  await browser?.close()
  await server?.close()
})

describe('the React + TanStack Query example', { timeout: 60_000 }, () => {
  it('refreshes once when a query meets an expired token, and replays it', async () => {
    const before = await page.getByTestId('item-at').textContent()
    server.control.reset()
    server.control.expireAccessTokens()
    await page.getByTestId('refetch').click()
    await page.waitForFunction((at) => document.querySelector('[data-testid="item-at"]')?.textContent !== at, before, WAIT)

    expect(server.stats).toMatchObject({ api401: 1, refreshCalls: 1, refreshSuccesses: 1, apiSuccesses: 1 })
    expect(await page.getByTestId('status').textContent()).toBe('authenticated')
  })

  it('sends the user to sign in when the session ends, without TanStack retrying the LoginRequiredError', async () => {
    server.control.reset()
    server.control.revokeAll()
    await page.getByTestId('refetch').click()
    await page.getByTestId('login-page').waitFor(WAIT)

    // One request, one refused refresh: no tokenless retries.
    expect(server.stats).toMatchObject({ apiRequests: 1, api401: 1, refreshCalls: 1, refreshSuccesses: 0 })
    expect(opened.errors).toEqual([])
  })

  it('fetches again once the user signs back in', async () => {
    server.control.reset()
    await page.getByTestId('login').click()
    await page.getByTestId('item').waitFor(WAIT)
    expect(server.stats).toMatchObject({ logins: 1, apiSuccesses: 1, api401: 0 })
  })
})
