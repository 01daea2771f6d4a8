import { createReadStream, createWriteStream, existsSync, linkSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createBrotliDecompress } from 'node:zlib'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'

/** Chromium builds a machine may have; the first that exists is used. */
const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

/**
 * Only these flags. @sparticuz/chromium's own `args` include `--single-process`, with which the
 * whole browser exits when a context closes; the tests open and close many contexts.
 */
export const CHROMIUM_ARGS: readonly string[] = ['--no-sandbox', '--disable-gpu', '--disable-background-networking']

/** The viewport the demo is designed for, and screenshots are taken at. */
export const DEFAULT_VIEWPORT = { width: 1280, height: 800 } as const

/**
 * Unpacks the Chromium that the `@sparticuz/chromium` devDependency ships (Brotli-compressed in
 * its `bin/`), once per package version. Its own `executablePath()` writes `/tmp/chromium` in
 * place and returns early when that file exists, so a second test file starting in parallel can
 * launch a half-written binary. Here each process writes its own temporary file and links it in
 * place: the binary appears complete or not at all, and once there it is never replaced.
 */
async function packagedChromium(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium')
  // The entry is <package>/build/<format>/index.*; the package has no ./package.json export.
  const packageRoot = join(dirname(entry), '..', '..')
  const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }
  const executable = join(tmpdir(), `axios-reauth-chromium-${version}`, 'chromium')
  if (existsSync(executable)) return executable
  mkdirSync(dirname(executable), { recursive: true })
  const partial = `${executable}.${process.pid}.partial`
  await pipeline(createReadStream(join(packageRoot, 'bin', 'chromium.br')), createBrotliDecompress(), createWriteStream(partial, { mode: 0o755 }))
  try {
    // A link, not a rename: it never replaces a binary another process already runs (Chromium
    // starts its helper processes from its own executable, which must stay in place).
    linkSync(partial, executable)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    rmSync(partial, { force: true })
  }
  return executable
}

/**
 * Where the Chromium executable is: `CHROME_PATH` when set, else a system Chromium, else the one
 * the `@sparticuz/chromium` devDependency ships (unpacked from the npm package on first use).
 * @throws Error when `CHROME_PATH` names a file that does not exist.
 */
export async function chromiumExecutable(): Promise<string> {
  const fromEnv = process.env.CHROME_PATH
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH is ${fromEnv}, which does not exist: point it at a Chromium executable, or unset it.`)
    return fromEnv
  }
  return SYSTEM_CHROMIUMS.find((path) => existsSync(path)) ?? packagedChromium()
}

/** Launches headless Chromium with {@link CHROMIUM_ARGS}. Close it in `afterAll`. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumExecutable(), headless: true, args: [...CHROMIUM_ARGS] })
}

/** A page, its fresh context, and the errors it reported. */
export interface OpenedPage {
  readonly context: BrowserContext
  readonly page: Page
  /** Uncaught page errors and console errors, in order. */
  readonly errors: string[]
}

/**
 * A page in a fresh context (its own storage, so no tokens carry over), at {@link DEFAULT_VIEWPORT}.
 * Uncaught page errors and console errors are collected in `errors`, to assert there were none.
 * The browser's own "Failed to load resource" lines are left out: every 401 logs one.
 */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: DEFAULT_VIEWPORT, ...options })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text())
  })
  return { context, page, errors }
}
