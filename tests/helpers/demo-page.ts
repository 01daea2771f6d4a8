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
