import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startAuthApi, type AuthApi } from '../../demo/server/auth-api.mjs'
import { run, transcript } from '../package/run-node'

const root = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Serves a built Vite example from the demo auth API (same origin: /auth/login, /auth/refresh,
 * /api/items/:id, and the /control levers), building it first when `npm run examples` has not.
 * Tokens live 5 minutes, so nothing expires unless a test says so.
 */
export async function serveExample(name: string): Promise<AuthApi> {
  const dist = `${root}examples/${name}/dist`
  if (!existsSync(`${dist}/index.html`)) {
    const result = await run(process.execPath, [`${root}scripts/examples.mjs`, name], { cwd: root, timeoutMs: 120_000 })
    if (result.code !== 0) throw new Error(`[examples] building ${name} failed:\n${transcript(result)}`)
  }
  return startAuthApi({ staticDir: dist, accessTtlSeconds: 300 })
}
