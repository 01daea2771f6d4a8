import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchChromium } from './chromium'

const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url))

// The package's public names resolved to dist/, as an app's bundler resolves them: pages run the
// package as built. The subpaths come first so that no name is read as a path below another.
const builtPackage = {
  'axios-reauth/diagnose': dist('diagnose.js'),
  'axios-reauth/dpop': dist('dpop.js'),
  'axios-reauth/fetch': dist('fetch.js'),
  'axios-reauth': dist('index.js'),
}

/** Bundles a page's script (axios included) for the browser, against the built package; returns its code. */
export async function bundleForBrowser(entry: string): Promise<string> {
  const bundled = await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', write: false, alias: builtPackage, logLevel: 'error' })
  return bundled.outputFiles[0]!.text
}

/** A folder served as a page, with Chromium to open it: made before the file's tests, removed after. */
export interface BuiltPage {
  /** The folder: the bundled script (named as its entry, `.js`) and `index.html`. */
  readonly dir: string
  readonly browser: Browser
}

/**
 * Registers the hooks that bundle `entry` into a fresh folder beside `index.html` (copied from
 * `html`, a file, or written from `html.text`) and launch Chromium, then close and remove both.
 */
export function useBuiltPage(options: { prefix: string; entry: string; html: string | { text: string } }): BuiltPage {
  const page = { dir: '', browser: undefined as unknown as Browser }
  beforeAll(async () => {
    page.dir = await mkdtemp(join(tmpdir(), `reauth-${options.prefix}-`))
    await writeFile(join(page.dir, basename(options.entry).replace(/\.ts$/, '.js')), await bundleForBrowser(options.entry))
    const index = join(page.dir, 'index.html')
    await (typeof options.html === 'string' ? copyFile(options.html, index) : writeFile(index, options.html.text))
    page.browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await page.browser?.close()
    if (page.dir) await rm(page.dir, { recursive: true, force: true })
  })
  return page
}
