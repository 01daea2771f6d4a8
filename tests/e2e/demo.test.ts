import { mkdir } from 'node:fs/promises'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newPage } from '../helpers/chromium'
import { burstSettled, resultsDir, runCounts, textOf, useDemo, WAIT } from '../helpers/demo-page'

// The browser demo, end to end: the built package in the built app, in Chromium, against the
// real demo auth API. Waits poll the page (bounded); nothing sleeps.

const BURST = 20
const demo = useDemo()

/** Clicks a lever and waits for the server to have pulled it. */
async function pull(page: Page, testId: string, control: string) {
  await Promise.all([
    page.waitForResponse((response) => response.url().endsWith(`/control/${control}`) && response.ok(), WAIT),
    page.getByTestId(testId).click(),
  ])
}

async function logIn(page: Page) {
  await page.getByTestId('login-submit').click()
  await page.getByTestId('dashboard').waitFor(WAIT)
}

/** Fires the burst and waits until every one of its requests has settled, on the page. */
async function fireBurst(page: Page) {
  await page.getByTestId('fire-20').click()
  await burstSettled(page, BURST)
}

/** Opens a page of the demo in a fresh context and signs in. */
async function openSignedIn(path: string) {
  const opened = await newPage(demo.browser)
  await opened.page.goto(`${demo.server.url}${path}`)
  await opened.page.getByTestId('login-page').waitFor(WAIT)
  await logIn(opened.page)
  return opened
}

describe('React demo page', { timeout: 60_000 }, () => {
  let context: BrowserContext
  let page: Page
  let errors: string[]

  beforeAll(async () => {
    ;({ context, page, errors } = await openSignedIn('/'))
  }, 60_000)

  afterAll(() => context?.close())

  it('refreshes once for 20 requests that meet an expired token, on the page and at the server', async () => {
    demo.server.control.reset()
    await pull(page, 'expire-token', 'expireAccessTokens')
    await fireBurst(page)

    expect(await runCounts(page)).toEqual({ requests: 20, unauthorized: 20, held: 0, refreshes: 1, replayed: 20, succeeded: 20, failed: 0 })
    expect(demo.server.stats).toMatchObject({ refreshCalls: 1, refreshSuccesses: 1, api401: 20, apiSuccesses: 20, spentRefreshPresented: 0 })
    expect([...demo.server.stats.requestIds.values()]).toEqual(Array(BURST).fill(1))
    // The page's own view of the server agrees once its poll has caught up.
    await page.waitForFunction(() => document.querySelector('[data-testid="server-refresh-calls"]')?.textContent === '1', undefined, WAIT)
    expect(await textOf(page, 'diagnosis')).toBeTruthy()

    await mkdir(resultsDir, { recursive: true })
    await page.screenshot({ path: `${resultsDir}demo-page.png` })
    await page.locator('.timeline-card').screenshot({ path: `${resultsDir}demo-timeline.png` })
  })

  it('diagnoses the 401s after "Expire the token now" as an expired token, as the button says', async () => {
    demo.server.control.reset()
    await pull(page, 'expire-token', 'expireAccessTokens')
    await fireBurst(page)

    const diagnosis = await textOf(page, 'diagnosis')
    expect(diagnosis).toMatch(/^token-expired The token …\S{4} expired \d/)
    expect(diagnosis).not.toContain('has not expired')
  })

  it('never shows a whole token', async () => {
    const tokens = await page.evaluate(() => JSON.parse(localStorage.getItem('axios-reauth-demo.tokens') ?? '{}') as Record<string, string>)
    expect(tokens.accessToken).toBeTruthy()
    const html = await page.content()
    expect(html).not.toContain(tokens.accessToken)
    expect(html).not.toContain(tokens.refreshToken)
  })

  it('shows the login page once when the refresh token is rejected', async () => {
    demo.server.control.reset()
    await pull(page, 'fail-invalid-grant', 'failNextRefresh')
    await pull(page, 'expire-token', 'expireAccessTokens')
    await fireBurst(page)

    await page.getByTestId('login-page').waitFor(WAIT)
    expect(await textOf(page, 'login-required-count')).toBe('1')
    expect(await runCounts(page)).toMatchObject({ requests: 20, unauthorized: 20, refreshes: 1, succeeded: 0, failed: 20 })
    expect(demo.server.stats).toMatchObject({ refreshCalls: 1, refreshSuccesses: 0, apiSuccesses: 0 })
  })

  it('returns to the app after logging in again', async () => {
    await logIn(page)
    expect(await textOf(page, 'status')).toBe('authenticated')
    expect(await textOf(page, 'login-required-count')).toBe('1')
    expect(errors).toEqual([])
  })

  it('starts a fresh page load with zeroed counters at the server, and counts that page alone', async () => {
    const counters = () => page.evaluate(() => [...document.querySelectorAll('.server-counts dd')].map((cell) => cell.textContent))
    await fireBurst(page)
    expect(demo.server.stats.apiSuccesses).toBeGreaterThan(0)
    await page.reload()
    await page.getByTestId('dashboard').waitFor(WAIT)
    await page.waitForFunction(() => document.querySelector('[data-testid="server-successes"]')?.textContent === '0', undefined, WAIT)
    expect(await counters()).toEqual(['0', '0', '0', '0', '0', '0'])

    await fireBurst(page)
    await page.waitForFunction((count) => document.querySelector('[data-testid="server-successes"]')?.textContent === String(count), BURST, WAIT)
    expect(demo.server.stats.apiSuccesses).toBeGreaterThan(BURST)
  })

  it('lets a second tab share the session and its one refresh', async () => {
    const [second] = await Promise.all([context.waitForEvent('page'), page.getByTestId('second-tab').click()])
    try {
      await second.getByTestId('dashboard').waitFor(WAIT)
      demo.server.control.reset()
      await pull(page, 'expire-token', 'expireAccessTokens')
      await Promise.all([fireBurst(page), fireBurst(second)])

      expect(await textOf(page, 'run-succeeded')).toBe('20')
      expect(await textOf(second, 'run-succeeded')).toBe('20')
      // One refresh for both tabs, and no tab presented the refresh token the other had rotated.
      expect(demo.server.stats).toMatchObject({ refreshCalls: 1, refreshSuccesses: 1, apiSuccesses: 40, spentRefreshPresented: 0 })
    } finally {
      await second.close()
    }
  })
})

describe('Vue demo page', { timeout: 60_000 }, () => {
  it('refreshes once for 20 requests that meet an expired token', async () => {
    const { context, page, errors } = await openSignedIn('/vue/')
    try {
      demo.server.control.reset()
      await pull(page, 'expire-token', 'expireAccessTokens')
      await fireBurst(page)

      expect(await runCounts(page)).toMatchObject({ requests: 20, unauthorized: 20, refreshes: 1, succeeded: 20, failed: 0 })
      expect(demo.server.stats).toMatchObject({ refreshCalls: 1, refreshSuccesses: 1, apiSuccesses: 20 })
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  })
})
