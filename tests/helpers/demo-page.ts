import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { buildDemo, isDemoBuilt, startDemo, type DemoServer } from '../../demo/web/launch.mjs'
import { launchChromium } from './chromium'

/** Where the end-to-end tests leave their screenshots. */
export const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url))
/** How long a wait on the page may take: bounded, so a broken demo fails instead of hanging. */
export const WAIT = { timeout: 20_000 }

/** The running demo and the Chromium that opens it, for the tests of one file. */
export interface DemoUnderTest {
  readonly browser: Browser
  readonly server: DemoServer
}

/**
 * Registers the hooks that start the browser demo (the built package in the built app, against
 * the real demo auth API) and Chromium before the file's tests, and stop both after.
 */
export function useDemo(): DemoUnderTest {
  const demo = { browser: undefined as unknown as Browser, server: undefined as unknown as DemoServer }
  beforeAll(async () => {
    // `npm test` builds the library first; the app is built here only when missing or stale.
    if (!isDemoBuilt()) await buildDemo()
    ;[demo.server, demo.browser] = await Promise.all([startDemo({ port: 0 }), launchChromium()])
  }, 90_000)
  afterAll(async () => {
    await demo.browser?.close()
    await demo.server?.close()
  })
  return demo
}

/** The trimmed text of the first element with `testId`. */
export const textOf = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent())?.trim()

/** Waits until the page's burst of `count` requests has all settled, on its timeline. */
export async function burstSettled(page: Page, count: number) {
  await page.waitForFunction(
    (expected) => {
      const read = (id: string) => Number(document.querySelector(`[data-testid="${id}"]`)?.textContent)
      const timeline = document.querySelector<SVGElement>('[data-testid="timeline"]')
      return timeline?.dataset.live === 'false' && read('run-requests') === expected && read('run-succeeded') + read('run-failed') === expected
    },
    count,
    WAIT,
  )
}

/** The counts of the page's last run, as it shows them. */
export async function runCounts(page: Page) {
  const names = ['requests', 'unauthorized', 'held', 'refreshes', 'replayed', 'succeeded', 'failed'] as const
  const values = await Promise.all(names.map((name) => textOf(page, `run-${name}`)))
  return Object.fromEntries(names.map((name, index) => [name, Number(values[index])]))
}
