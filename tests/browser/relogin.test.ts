import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { startAuthApi, type AuthApi } from '../../demo/server/auth-api.mjs'
import { useBuiltPage } from '../helpers/built-page'

interface Outcome {
  ok: boolean
  code?: string
  data?: unknown
}
interface ReloginTab {
  setup(): void
  login(): Promise<void>
  signInAgain(): Promise<void>
  closeDialog(): void
  fire(count: number): Promise<Outcome[]>
  state(): { status: string; dialogs: number; loginRequired: number; accessToken?: string }
}
declare global {
  interface Window {
    relogin: ReloginTab
  }
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const built = useBuiltPage({ prefix: 'relogin', entry: here('./fixture/relogin-app.ts'), html: here('./fixture/relogin.html') })
let server: AuthApi
let context: BrowserContext

afterEach(async () => {
  await context?.close()
  await server?.close()
})

/** Two signed-in tabs of one origin, sharing their tokens through localStorage. */
async function twoSignedInTabs(): Promise<Page[]> {
  server = await startAuthApi({ accessTtlSeconds: 600, staticDir: built.dir })
  context = await built.browser.newContext()
  const pages: Page[] = []
  for (const title of ['tab0', 'tab1']) {
    const page = await context.newPage()
    await page.goto(`${server.url}/`)
    await page.evaluate((name) => {
      document.title = name
      window.relogin.setup()
    }, title)
    pages.push(page)
  }
  await pages[0]!.evaluate(() => window.relogin.login())
  await eventually(async () => (await Promise.all(pages.map(stateOf))).every((state) => state.status === 'authenticated'))
  return pages
}

const stateOf = (page: Page) => page.evaluate(() => window.relogin.state())

/** Polls `check` until it holds; no fixed sleeps. */
async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** The server revokes the session while both tabs send requests; resolves once both wait for a sign-in. */
async function revokeWhileBothTabsSend(pages: Page[]) {
  server.control.revokeAll()
  server.control.reset()
  const firing = pages.map((page) => page.evaluate(() => window.relogin.fire(3)))
  await eventually(async () => (await Promise.all(pages.map(stateOf))).every((state) => state.status === 'reauthenticating'))
  return firing
}

describe('signing in again across tabs', { timeout: 60_000 }, () => {
  it('opens one dialog for two tabs, and replays both tabs’ held requests once the user signs in', async () => {
    const pages = await twoSignedInTabs()
    const firing = await revokeWhileBothTabsSend(pages)
    const states = await Promise.all(pages.map(stateOf))
    expect(states.map((state) => state.dialogs).reduce((sum, dialogs) => sum + dialogs, 0)).toBe(1)
    const dialogTab = pages[states.findIndex((state) => state.dialogs === 1)]!

    await dialogTab.evaluate(() => window.relogin.signInAgain())
    const results = (await Promise.all(firing)).flat()

    expect(results.every((result) => result.ok), JSON.stringify({ results, events: server.stats.events.slice(-30) })).toBe(true)
    expect(results.filter((result) => (result.data as { received?: unknown }).received)).toEqual([
      { ok: true, data: { received: { draft: 'tab0 typed this' } } },
      { ok: true, data: { received: { draft: 'tab1 typed this' } } },
    ])
    const after = await Promise.all(pages.map(stateOf))
    expect(after.map((state) => state.status)).toEqual(['authenticated', 'authenticated'])
    expect(after[0]!.accessToken).toBe(after[1]!.accessToken)
    expect(after.map((state) => state.loginRequired)).toEqual([0, 0])
    expect(after.map((state) => state.dialogs).reduce((sum, dialogs) => sum + dialogs, 0)).toBe(1)
    expect(server.stats.logins).toBe(1)
    expect(server.stats.refreshCalls).toBe(1)
    // Every request reached the server with the new token once: 4 per tab.
    expect(server.stats.apiSuccesses).toBe(8)
  })

  it('ends the session in both tabs when the user closes the dialog, each tab telling its app once', async () => {
    const pages = await twoSignedInTabs()
    const firing = await revokeWhileBothTabsSend(pages)
    const states = await Promise.all(pages.map(stateOf))
    const dialogTab = pages[states.findIndex((state) => state.dialogs === 1)]!

    await dialogTab.evaluate(() => window.relogin.closeDialog())
    const results = (await Promise.all(firing)).flat()

    expect(results.every((result) => !result.ok && result.code === 'login-required'), JSON.stringify(results)).toBe(true)
    const after = await Promise.all(pages.map(stateOf))
    expect(after.map((state) => state.status)).toEqual(['unauthenticated', 'unauthenticated'])
    expect(after.map((state) => state.loginRequired)).toEqual([1, 1])
    expect(server.stats.apiSuccesses).toBe(0)
  })
})
