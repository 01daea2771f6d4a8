import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The repository root: the package these tests load as an app would. */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url))

/** Throws a clear message when the built files the package tests load are not there. */
export function requireBuilt(files: string[]): void {
  const missing = files.filter((file) => !existsSync(new URL(`../../${file}`, import.meta.url)))
  if (missing.length > 0) {
    throw new Error(`[package tests] ${missing.join(', ')} missing: these tests load the built package. Run \`npm run build\` first.`)
  }
}
