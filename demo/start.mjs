// The browser demo: builds the app on the built package, then serves it from the local auth API.
// `npm run demo` builds the library first. PORT picks the port (default 5173; a free one if taken).
// Nothing is opened: the URL is printed. Ctrl-C stops everything.
import { buildDemo, startDemo } from './web/launch.mjs'

const DEFAULT_PORT = 5173

function portFromEnv() {
  const raw = process.env.PORT
  if (raw === undefined || raw === '') return DEFAULT_PORT
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (got ${raw}).`)
  return port
}

async function main() {
  const port = portFromEnv()
  const started = performance.now()
  await buildDemo()
  console.log(`built the demo app in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const server = await startDemo({ port })
  if (server.fellBack) console.log(`port ${port} is taken: using a free one`)
  console.log(`\naxios-reauth demo (access tokens live 20 s)\n  React  ${server.url}/\n  Vue    ${server.url}/vue/\n\nCtrl-C to stop.`)

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await server.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error) => {
  console.error(`the demo did not start: ${error?.message ?? error}`)
  process.exitCode = 1
})
