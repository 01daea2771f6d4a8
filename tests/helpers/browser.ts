import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

/**
 * The Chromium to drive: `CHROME_PATH`, else a system Chromium, else the one shipped inside the
 * `@sparticuz/chromium` package, so a fresh `npm install` is enough.
 */
export async function chromiumExecutable(): Promise<string> {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH
  const system = SYSTEM_CHROMIUM.find((path) => existsSync(path))
  if (system) return system
  const { default: packaged } = await import('@sparticuz/chromium')
  return packaged.executablePath()
}

/**
 * Launches headless Chromium with only the flags this machine needs. The packaged Chromium's own
 * argument list is not used: its `--single-process` kills the browser when a context closes.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumExecutable(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}
