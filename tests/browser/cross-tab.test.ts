import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { startAuthApi, type AuthApi } from '../../demo/server/auth-api.mjs'
import { useBuiltPage } from '../helpers/built-page'

interface TabApi {
  setup(options: { storage: 'local' | 'memory'; refreshTimeoutMs?: number; withoutModernApis?: boolean }): void
  login(): Promise<void>
  fire(count: number): Promise<Array<{ ok: boolean; status?: number; code?: string }>>
  start(count: number): void
  state(): { status: string; accessToken?: string; loginRequired: number; sentTokens: string[] }
  signOut(): void
  localStorage(): Array<[string, string]>
  secondClientSends(): Promise<string | null>
}
declare global {
  interface Window {
    tab: TabApi
  }
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const built = useBuiltPage({ prefix: 'tabs', entry: here('./fixture/tab-app.ts'), html: here('./fixture/index.html') })
let server: AuthApi
let context: BrowserContext

afterEach(async () => {
  await context?.close()
  await server?.close()
})

async function openTabs(count: number, options: Parameters<TabApi['setup']>[0]): Promise<Page[]> {
  server = await startAuthApi({ accessTtlSeconds: 600, staticDir: built.dir })
  context = await built.browser.newContext()
  const pages: Page[] = []
  for (let i = 0; i < count; i++) pages.push(await openTab(options, i))
  return pages
}

async function openTab(options: Parameters<TabApi['setup']>[0], index: number): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${server.url}/`)
  await page.evaluate(([setup, title]) => {
    document.title = title
    window.tab.setup(setup)
  }, [options, `tab${index}`] as const)
  return page
}

const stateOf = (page: Page) => page.evaluate(() => window.tab.state())

/** Polls `check` until it holds; playwright's own polling, no fixed sleeps. */
async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** Signs in from the first tab and waits until every tab has the tokens. */
async function signInEverywhere(pages: Page[]) {
  await pages[0]!.evaluate(() => window.tab.login())
  await eventually(async () => (await Promise.all(pages.map(stateOf))).every((state) => state.status === 'authenticated'))
}

/** The server refuses every access token issued so far; its counters start from zero. */
function expireEveryToken() {
  server.control.expireAccessTokens()
  server.control.reset()
}

describe('many tabs, one refresh', { timeout: 60_000 }, () => {
  it('refreshes once for 4 tabs that each fire 10 requests with an expired token', async () => {
    const pages = await openTabs(4, { storage: 'local' })
    await signInEverywhere(pages)
    expireEveryToken()

    const results = (await Promise.all(pages.map((page) => page.evaluate(() => window.tab.fire(10))))).flat()

    expect(results.filter((result) => result.ok)).toHaveLength(40)
    expect(server.stats.refreshCalls).toBe(1)
    expect(server.stats.apiSuccesses).toBe(40)
    expect(server.stats.spentRefreshPresented).toBe(0)
  })

  it('refreshes once across tabs with a storage lease and storage events where Web Locks and BroadcastChannel are missing', async () => {
    const pages = await openTabs(3, { storage: 'local', withoutModernApis: true })
    await signInEverywhere(pages)
    expireEveryToken()

    const results = (await Promise.all(pages.map((page) => page.evaluate(() => window.tab.fire(5))))).flat()

    // Rarely fails on a loaded machine (every request rejected); the events tell which tab refreshed when.
    expect(results.filter((result) => result.ok), JSON.stringify({ results, events: server.stats.events.slice(-30) })).toHaveLength(15)
    expect(server.stats.refreshCalls).toBe(1)
    expect(server.stats.spentRefreshPresented).toBe(0)
    await pages[1]!.evaluate(() => window.tab.signOut())
    await eventually(async () => (await Promise.all(pages.map(stateOf))).every((state) => state.status === 'unauthenticated'))
  })

  it('recovers with one refresh when the tab holding the lock closes mid-refresh', async () => {
    const pages = await openTabs(4, { storage: 'local' })
    await signInEverywhere(pages)
    expireEveryToken()
    server.control.setRefreshDelay(1_000)
    await pages[0]!.evaluate(() => window.tab.start(1))
    await eventually(() => server.stats.refreshCalls === 1)
    await pages[0]!.close()
    server.control.setRefreshDelay(0)

    const results = (await Promise.all(pages.slice(1).map((page) => page.evaluate(() => window.tab.fire(5))))).flat()

    expect(results.every((result) => result.ok), JSON.stringify({ results, events: server.stats.events.slice(-30) })).toBe(true)
    expect(server.stats.refreshSuccesses).toBe(1)
    expect(server.stats.spentRefreshPresented).toBe(0)
  })

  it('does not leave the other tabs stuck when the refresh in the lock-holding tab hangs', async () => {
    const pages = await openTabs(4, { storage: 'local', refreshTimeoutMs: 2_000 })
    await signInEverywhere(pages)
    expireEveryToken()
    server.control.failNextRefresh('hang')
    const first = pages[0]!.evaluate(() => window.tab.fire(1))
    await eventually(() => server.stats.refreshCalls === 1)

    const others = (await Promise.all(pages.slice(1).map((page) => page.evaluate(() => window.tab.fire(5))))).flat()

    expect(others.every((result) => result.ok), JSON.stringify({ others, events: server.stats.events.slice(-30) })).toBe(true)
    expect(server.stats.refreshSuccesses).toBe(1)
    expect(server.stats.spentRefreshPresented).toBe(0)
    expect((await first)[0]).toMatchObject({ ok: false })
  })

  it('signs every tab out when one tab signs out, and no tab sends the old token again', async () => {
    const pages = await openTabs(3, { storage: 'local' })
    await signInEverywhere(pages)
    const oldToken = (await stateOf(pages[0]!)).accessToken!

    await pages[0]!.evaluate(() => window.tab.signOut())
    await eventually(async () => (await Promise.all(pages.map(stateOf))).every((state) => state.status === 'unauthenticated'))

    const sentBefore = await Promise.all(pages.map(async (page) => (await stateOf(page)).sentTokens.length))
    await Promise.all(pages.map((page) => page.evaluate(() => window.tab.fire(2))))
    const states = await Promise.all(pages.map(stateOf))
    states.forEach((state, i) => expect(state.sentTokens.slice(sentBefore[i])).not.toContain(oldToken))
    expect(states.map((state) => state.loginRequired)).toEqual([1, 1, 1])
  })

  it('gives a new memory-storage tab the tokens of an existing tab', async () => {
    const [first] = await openTabs(1, { storage: 'memory' })
    await first!.evaluate(() => window.tab.login())
    const token = (await stateOf(first!)).accessToken
    server.control.reset()

    const second = await openTab({ storage: 'memory' }, 1)
    const results = await second.evaluate(() => window.tab.fire(3))

    expect(results.every((result) => result.ok)).toBe(true)
    expect((await stateOf(second)).sentTokens).toEqual([token, token, token])
    expect(server.stats.refreshCalls).toBe(0)
  })
})

describe('isolation', { timeout: 60_000 }, () => {
  it('never sends the token of one client of a page with another client of that page', async () => {
    const [page] = await openTabs(1, { storage: 'memory' })
    expect(await page!.evaluate(() => window.tab.secondClientSends())).toBeNull()
  })

  it('writes no token of a memory-storage tab into localStorage where BroadcastChannel is missing', async () => {
    const pages = await openTabs(2, { storage: 'memory', withoutModernApis: true })
    await pages[0]!.evaluate(() => window.tab.login())
    expireEveryToken()
    expect((await pages[0]!.evaluate(() => window.tab.fire(2))).every((result) => result.ok)).toBe(true)
    const { accessToken } = await stateOf(pages[0]!)
    const storedOf = async () => JSON.stringify(await Promise.all(pages.map((page) => page.evaluate(() => window.tab.localStorage()))))

    const stored = await storedOf()
    await pages[0]!.evaluate(() => window.tab.signOut())

    expect(accessToken).toBeDefined()
    expect(stored).not.toContain(accessToken)
    expect(stored + (await storedOf())).not.toMatch(/"(tokens|accessToken|refreshToken)"/)
    expect(await stateOf(pages[1]!)).toMatchObject({ status: 'unauthenticated' })
  })
})
