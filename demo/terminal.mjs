// Terminal demo of axios-reauth against the real local auth API.
// Part 1: 20 requests meet an expired access token; one refresh serves all of them.
// Part 2: the session is revoked; every request fails with LoginRequiredError and the app is
// sent to the login page once. Exits 1 when anything else happens, so it is also a smoke check.
import axios, { AxiosHeaders } from 'axios'
import { createAuthClient, isReauthError } from '../dist/index.js'
import { startAuthApi } from './server/auth-api.mjs'

const BURST = 20
const HELD = 5
const REVOKED_BURST = 10

// ANSI colors only for a human at a terminal, and never when NO_COLOR is set (no-color.org).
const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR
const paint = (code) => (text) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text)
const [bold, dim, red, green, yellow, blue, magenta, cyan] = [1, 2, 31, 32, 33, 34, 35, 36].map(paint)

/** Only the last 4 characters: enough to tell tokens apart, never enough to leak one. */
const tail = (token) => (token ? `…${token.slice(-4)}` : 'no token')
const bearerTail = (headers) => tail(AxiosHeaders.from(headers).get('Authorization')?.replace(/^Bearer\s+/i, ''))
const idOf = (config) => AxiosHeaders.from(config?.headers).get('x-request-id') ?? '?'

const problems = []
/** Records a failed expectation; the demo goes on so that every problem gets reported. */
function expect(what, actual, wanted) {
  if (actual !== wanted) problems.push(`${what}: expected ${wanted}, got ${actual}`)
}

// The timeline: ms since the burst started, a lane (a request id, or "auth"), what happened.
const timeline = { start: 0, recording: false }
const tally = {}
let afterRefreshStart // set by part 1 to fire requests while the refresh runs

function startTimeline() {
  for (const key of ['sent', 'held', 'replayed', 'refreshStarts', 'loginRequired', 'redirects']) tally[key] = 0
  timeline.start = performance.now()
  timeline.recording = true
}

function line(lane, what, color, detail = '') {
  if (!timeline.recording) return
  const ms = `+${Math.round(performance.now() - timeline.start)} ms`.padStart(8)
  console.log(`  ${dim(ms)}  ${lane.padEnd(5)} ${color(what.padEnd(18))}${detail && dim(detail)}`)
}

const say = (text) => console.log(`  ${text}`)
const heading = (text) => console.log(`\n${bold(text)}\n`)

/**
 * Installed BEFORE auth.attach(): axios runs request interceptors in reverse order of
 * installation, so this one runs after the library's and sees the Authorization header it set.
 * Response interceptors run in installation order, so this one sees each raw 401 first.
 */
function watch(instance, auth) {
  const got401 = new Set()
  const onRequest = (config) => {
    const id = idOf(config)
    // A request issued mid-refresh waits; the library stamps its token only when it leaves.
    const kind = got401.has(id) ? 'replayed' : auth.status === 'refreshing' ? 'held' : 'sent'
    tally[kind]++
    if (kind === 'held') line(id, 'held', yellow, 'until the refresh settles')
    else line(id, kind, kind === 'sent' ? cyan : blue, `with ${bearerTail(config.headers)}`)
    return config
  }
  const onSuccess = (response) => {
    line(idOf(response.config), 'succeeded', green, `${response.status}, sent with ${bearerTail(response.config.headers)}`)
    return response
  }
  const onError = (error) => {
    if (error?.response?.status === 401) {
      got401.add(idOf(error.config))
      line(idOf(error.config), '401', red, error.response.data?.error_description ?? '')
    }
    throw error
  }
  instance.interceptors.request.use(onRequest, undefined, { synchronous: true })
  instance.interceptors.response.use(onSuccess, onError)
}

/** Puts the session's own events on the timeline. */
function narrate(auth) {
  auth.on('status', (status) => line('auth', `status → ${status}`, dim))
  auth.on('refresh:start', ({ attempt }) => {
    tally.refreshStarts++
    line('auth', 'refresh started', magenta, `attempt ${attempt}`)
    // The event fires just before the refresh is registered as in flight: act once it is.
    queueMicrotask(() => afterRefreshStart?.())
  })
  auth.on('refresh:success', () => line('auth', 'refresh finished', magenta, `new token ${tail(auth.getTokens()?.accessToken)}`))
  auth.on('refresh:failure', ({ error }) => {
    line('auth', 'refresh failed', red, `${error.code}, token endpoint said ${error.cause?.response?.data?.error ?? error.message}`)
  })
  auth.on('loginRequired', () => tally.loginRequired++)
}

// Ids run on across both parts (#0 is the request before the burst), so lanes never repeat.
let nextId = 0
/** GET /api/items/:n, tagged with the id the interceptors and the timeline use as its lane. */
function getItem(api) {
  const id = `#${nextId++}`
  return api.get(`/api/items/${id.slice(1)}`, { headers: { 'x-request-id': id } }).catch((error) => {
    line(id, 'rejected', red, `${error?.name}, code ${error?.code}${error?.reason ? `, reason ${error.reason}` : ''}`)
    throw error
  })
}
const fire = (api, count) => Promise.allSettled(Array.from({ length: count }, () => getItem(api)))
const countWhere = (results, test) => results.filter(test).length

async function partOne(api, server) {
  heading(`Part 1: ${BURST} requests meet an expired access token`)
  say(`one request while the token is valid: ${(await getItem(api)).status}`)
  server.control.expireAccessTokens()
  say(yellow('the server expires every access token now') + dim(' (rather than waiting 3 s)'))
  server.control.reset() // so the server's counters describe the burst alone
  say(`firing ${BURST} requests at once, and ${HELD} more right after the refresh starts\n`)

  startTimeline()
  let late = Promise.resolve([])
  afterRefreshStart = () => (late = fire(api, HELD))
  const results = [...(await fire(api, BURST)), ...(await late)]
  afterRefreshStart = undefined
  timeline.recording = false

  const { refreshCalls, api401, apiSuccesses, spentRefreshPresented } = server.stats
  console.log(`\n  ${bold('summary (server stats)')}: refresh calls ${refreshCalls} · 401s ${api401} · successes ${apiSuccesses} · spent refresh tokens presented ${spentRefreshPresented}`)
  expect('part 1: refresh calls', refreshCalls, 1)
  expect('part 1: refresh started events', tally.refreshStarts, 1)
  expect('part 1: 401s', api401, BURST)
  expect('part 1: successes', apiSuccesses, BURST + HELD)
  expect('part 1: spent refresh tokens presented', spentRefreshPresented, 0)
  expect('part 1: held requests', tally.held, HELD)
  expect('part 1: replayed requests', tally.replayed, BURST)
  expect('part 1: fulfilled requests', countWhere(results, (result) => result.status === 'fulfilled'), BURST + HELD)
}

async function partTwo(api, server) {
  heading('Part 2: the session is revoked')
  server.control.reset()
  server.control.revokeAll()
  say(yellow('the session is revoked on the server'))
  server.control.expireAccessTokens()
  say(yellow('the server expires every access token now'))
  say(`firing ${REVOKED_BURST} requests\n`)

  startTimeline()
  const results = await fire(api, REVOKED_BURST)
  timeline.recording = false

  const loginRequired = countWhere(results, ({ reason }) => isReauthError(reason) && reason.code === 'login-required')
  const { refreshCalls, api401, apiSuccesses } = server.stats
  console.log(`\n  ${bold('summary')}: refresh calls ${refreshCalls} (rejected) · 401s ${api401} · successes ${apiSuccesses} · LoginRequiredError ${loginRequired}/${REVOKED_BURST} · onLoginRequired calls ${tally.redirects}`)
  expect('part 2: refresh calls', refreshCalls, 1)
  expect('part 2: successes', apiSuccesses, 0)
  expect('part 2: requests rejected with login-required', loginRequired, REVOKED_BURST)
  expect('part 2: onLoginRequired calls', tally.redirects, 1)
  expect('part 2: loginRequired events', tally.loginRequired, 1)
}

async function main() {
  const server = await startAuthApi({ host: '127.0.0.1', port: 0, accessTtlSeconds: 3 })
  try {
    console.log(bold('axios-reauth terminal demo') + dim(` · auth API at ${server.url} · access tokens live 3 s`))
    const { data } = await axios.post(`${server.url}/auth/login`, { username: 'ada', password: 'demo' })
    say(`logged in as ada, access token ${tail(data.access_token)}`)
    const auth = createAuthClient({
      tokens: { accessToken: data.access_token, refreshToken: data.refresh_token },
      // By default a token within 30 s of expiry is refreshed before it is sent, so most 401s
      // never happen. These tokens live 3 s; with no leeway the demo shows the 401 path itself.
      leewaySeconds: 0,
      // Plain axios, not the attached instance; the signal lets the library abort a stuck refresh.
      refresh: async ({ refreshToken, signal }) => {
        const { data: next } = await axios.post(`${server.url}/auth/refresh`, { refreshToken }, { signal })
        return { accessToken: next.access_token, refreshToken: next.refresh_token, expiresIn: next.expires_in }
      },
      // Where an app would route to its login page.
      onLoginRequired: ({ reason }) => {
        tally.redirects++
        line('auth', `→ login redirect (${reason})`, bold)
      },
    })
    const api = axios.create({ baseURL: server.url })
    watch(api, auth) // before attach, see watch()
    auth.attach(api)
    narrate(auth)

    await partOne(api, server)
    await partTwo(api, server)
  } finally {
    await server.close()
  }
  if (problems.length === 0) return console.log(green('\n✓ every expectation held'))
  console.error(red(`\n✗ ${problems.length} expectation(s) did not hold:`))
  for (const problem of problems) console.error(red(`  - ${problem}`))
  process.exitCode = 1
}

main().catch((error) => {
  console.error(red(`✗ the demo crashed: ${error?.stack ?? error}`))
  process.exitCode = 1
})
