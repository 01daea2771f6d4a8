import { mkdir } from 'node:fs/promises'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newPage } from '../helpers/chromium'
import { burstSettled, resultsDir, runCounts, textOf, useDemo, WAIT } from '../helpers/demo-page'

// The demo's login dialog mode, end to end: the built package in the built app, in Chromium,
// against the real demo auth API. Waits poll the page (bounded); nothing sleeps.

const BURST = 20
const demo = useDemo()

async function revoke(page: Page) {
  await Promise.all([page.waitForResponse((response) => response.url().endsWith('/control/revokeAll') && response.ok(), WAIT), page.getByTestId('revoke').click()])
}

describe('the demo in login dialog mode', { timeout: 60_000 }, () => {
  let context: BrowserContext
  let page: Page
  let errors: string[]

  beforeAll(async () => {
    ;({ context, page, errors } = await newPage(demo.browser))
    await page.goto(`${demo.server.url}/?dialog`)
    await page.getByTestId('login-page').waitFor(WAIT)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('dashboard').waitFor(WAIT)
  }, 60_000)

  afterAll(() => context?.close())

  it('asks once for a sign-in when the session is revoked, and replays every lane after it', async () => {
    demo.server.control.reset()
    await revoke(page)
    await page.getByTestId('fire-20').click()

    await page.getByTestId('relogin-dialog').waitFor(WAIT)
    expect(await textOf(page, 'status')).toBe('reauthenticating')
    // The app stays: no login page, nothing rejected, nobody told to log in.
    expect(await page.getByTestId('dashboard').count()).toBe(1)
    expect(await textOf(page, 'login-required-count')).toBe('0')
    await page.getByTestId('relogin-submit').click()
    await burstSettled(page, BURST)

    expect(await runCounts(page)).toEqual({ requests: 20, unauthorized: 20, held: 0, refreshes: 1, replayed: 20, succeeded: 20, failed: 0 })
    expect(await page.getByTestId('relogin-dialog').count()).toBe(0)
    expect(await textOf(page, 'status')).toBe('authenticated')
    expect(await textOf(page, 'login-required-count')).toBe('0')
    expect(demo.server.stats).toMatchObject({ logins: 1, refreshCalls: 1, refreshSuccesses: 0, api401: 20, apiSuccesses: 20 })
    expect([...demo.server.stats.requestIds.values()]).toEqual(Array(BURST).fill(1))
    await mkdir(resultsDir, { recursive: true })
    await page.locator('.timeline-card').screenshot({ path: `${resultsDir}demo-relogin-timeline.png` })
    expect(errors).toEqual([])
  })

  it('shows one dialog across two tabs, and replays both tabs’ lanes after the sign-in', async () => {
    const [second] = await Promise.all([context.waitForEvent('page'), page.getByTestId('second-tab').click()])
    try {
      await second.getByTestId('dashboard').waitFor(WAIT)
      demo.server.control.reset()
      await revoke(page)
      await Promise.all([page.getByTestId('fire-20').click(), second.getByTestId('fire-20').click()])

      const pages = [page, second]
      await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent === 'reauthenticating', undefined, WAIT)
      await second.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent === 'reauthenticating', undefined, WAIT)
      await Promise.race(pages.map((each) => each.getByTestId('relogin-dialog').waitFor(WAIT)))
      const dialogs = await Promise.all(pages.map((each) => each.getByTestId('relogin-dialog').count()))
      expect(dialogs.reduce((sum, count) => sum + count, 0)).toBe(1)
      const withDialog = pages[dialogs.indexOf(1)]!
      const other = pages[dialogs.indexOf(0)]!
      await other.getByTestId('relogin-elsewhere').waitFor(WAIT)

      await withDialog.getByTestId('relogin-submit').click()
      await Promise.all(pages.map((each) => burstSettled(each, BURST)))

      for (const each of pages) expect(await runCounts(each)).toMatchObject({ requests: 20, succeeded: 20, failed: 0 })
      expect(await Promise.all(pages.map((each) => textOf(each, 'login-required-count')))).toEqual(['0', '0'])
      expect(demo.server.stats).toMatchObject({ logins: 1, apiSuccesses: 40, spentRefreshPresented: 0 })
      expect(await other.getByTestId('relogin-elsewhere').count()).toBe(0)
    } finally {
      await second.close()
    }
  })
})

describe('the Vue demo page in login dialog mode', { timeout: 60_000 }, () => {
  it('asks once for a sign-in when the session is revoked, and replays every lane after it', async () => {
    const { context, page, errors } = await newPage(demo.browser)
    try {
      await page.goto(`${demo.server.url}/vue/?dialog`)
      await page.getByTestId('login-page').waitFor(WAIT)
      await page.getByTestId('login-submit').click()
      await page.getByTestId('dashboard').waitFor(WAIT)
      demo.server.control.reset()
      await revoke(page)
      await page.getByTestId('fire-20').click()

      await page.getByTestId('relogin-dialog').waitFor(WAIT)
      expect(await textOf(page, 'status')).toBe('reauthenticating')
      await page.getByTestId('relogin-submit').click()
      await burstSettled(page, BURST)

      expect(await runCounts(page)).toMatchObject({ requests: 20, unauthorized: 20, replayed: 20, succeeded: 20, failed: 0 })
      expect(await page.getByTestId('relogin-dialog').count()).toBe(0)
      expect(demo.server.stats).toMatchObject({ logins: 1, apiSuccesses: 20 })
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  })
})
