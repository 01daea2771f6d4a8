import axios from 'axios'
import { isReauthError } from 'axios-reauth'
import { LEEWAY_MS, type RunPlan } from './plan'
import { describeError, type Observation } from './run-chaos'

/** The codes a request to the API may legitimately reject with. */
const REQUEST_CODES = new Set(['login-required', 'refresh-failed', 'replay-rejected'])

const ms = (value: number) => `${value.toFixed(1)} ms`

/** The message of an error and of every cause below it. */
function messagesOf(error: unknown): string[] {
  const messages: string[] = []
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) messages.push(current.message)
  return messages
}

/** What a run broke, and what it tolerated (never silently: the suite prints every such line). */
export interface Verdict {
  /** One line per broken invariant, starting with its tag in brackets; empty when all hold. */
  problems: string[]
  /** One line per tolerated event: a known bug (see known-issues.test.ts) or a race of the test machine. */
  tolerated: string[]
}

/** Checks a finished run against the invariants. */
export function checkInvariants(plan: RunPlan, obs: Observation): Verdict {
  const problems = [...obs.problems]
  const tolerated: string[] = []
  const { server } = obs

  for (const request of plan.requests) {
    const index = Number(request.id) - 1
    const settlement = obs.settlements[index]!
    const name = `request #${request.id}${request.foreign ? ' (foreign)' : request.skipAuth ? ' (skipAuth)' : ''}`

    // Every request promise settles, and exactly once (count also catches a handler run twice).
    if (settlement.count !== 1) {
      problems.push(`[settle] ${name} settled ${settlement.count} times`)
      continue
    }

    if (request.foreign) {
      // The foreign origin is never replayed: a 401 there is not ours to handle.
      const arrivals = server.foreign.arrivals.get(request.id) ?? 0
      if (arrivals > 1) problems.push(`[duplicate] ${name} reached the foreign origin ${arrivals} times`)
    } else {
      // No request lost or duplicated. The server counts, per x-request-id, each arrival and each
      // 2xx it wrote while the client was still connected. A 2xx ends a request's life, so:
      // - fulfilled: exactly one success (the one the caller got) in at most two attempts;
      // - rejected without abort(): no success at all (nothing the caller was told failed happened);
      // - abort() called before it settled: at most one success, since the server may have answered
      //   200 just as the client hung up; the caller got CanceledError and must treat it as unknown.
      const arrivals = server.arrivals.get(request.id) ?? []
      const successes = server.successes.get(request.id) ?? 0
      if (arrivals.length > 2) problems.push(`[duplicate] ${name} reached the server ${arrivals.length} times`)
      if ((obs.sends.get(request.id) ?? 0) > 2) problems.push(`[duplicate] ${name} was sent ${obs.sends.get(request.id)} times`)
      if (settlement.fulfilled && successes !== 1) problems.push(`[lost] ${name} was fulfilled but the server answered 2xx ${successes} times`)
      if (!settlement.fulfilled && !settlement.abortedFirst && successes !== 0) {
        problems.push(`[lost] ${name} rejected with ${describeError(settlement.error)} but the server answered 2xx ${successes} times`)
      }
      if (!settlement.fulfilled && settlement.abortedFirst && successes > 1) problems.push(`[duplicate] aborted ${name} succeeded ${successes} times on the server`)
      // A replay goes with a newer token than the one its 401 was for (or it is not sent at all).
      const [first, second] = arrivals
      if (first && second && first.authorization === second.authorization) problems.push(`[replay] ${name} was replayed with the very token that got 401`)
      if (request.skipAuth && second) problems.push(`[replay] ${name} has skipAuth but was sent again`)
      if (request.skipAuth && arrivals.some((arrival) => arrival.authorization !== undefined)) problems.push(`[token-origin] ${name} has skipAuth but reached the server with a token`)
    }

    if (settlement.fulfilled) {
      const body = settlement.value as { id?: string } | undefined
      if (body?.id !== request.id) problems.push(`[mixup] ${name} was fulfilled with the response of request #${body?.id}`)
      continue
    }

    // Every rejection is typed: CanceledError for an aborted request, a ReauthError for the API's
    // auth failures, or axios's own error, untouched, for other statuses and network errors.
    const { error } = settlement
    const arrivals = server.arrivals.get(request.id) ?? []
    const last = arrivals[arrivals.length - 1]
    if (axios.isCancel(error)) {
      if (!settlement.abortedFirst) problems.push(`[error-type] ${name} rejected with CanceledError but was never aborted`)
    } else if (isReauthError(error)) {
      const allowed = REQUEST_CODES.has(error.code) || (error.code === 'replay-skipped' && !request.replay)
      if (request.foreign || request.skipAuth) problems.push(`[error-type] ${name} rejected with ${describeError(error)} instead of the server's own answer`)
      else if (!allowed) problems.push(`[error-type] ${name} rejected with unexpected ${describeError(error)}`)
    } else if (axios.isAxiosError(error)) {
      const status = error.response?.status
      if (!request.foreign && !request.skipAuth && status === 401) problems.push(`[error-type] ${name} leaked its raw 401`)
      else if (!request.foreign && status !== undefined && status !== last?.status) problems.push(`[error-type] ${name} rejected with status ${status}, the server last answered ${last?.status}`)
      else if (!request.foreign && status === undefined && !arrivals.some((arrival) => arrival.outcome === 'reset')) {
        problems.push(`[error-type] ${name} rejected with a network error (${error.code}) the server never caused`)
      }
      if (error.config && (error.config.headers?.['x-request-id'] as unknown) !== request.id) problems.push(`[error-type] ${name} rejected with another request's error`)
    } else {
      problems.push(`[error-type] ${name} rejected with an unexpected ${describeError(error)}`)
    }
    for (const message of messagesOf(error)) {
      for (const token of obs.tokens.keys()) if (message.includes(token)) problems.push(`[token-leak] the rejection of ${name} has a token in its message`)
    }
  }

  // A refresh failure is judged right: the token endpoint's 400 ends the session, while a 5xx,
  // a reset, a hang or the timeout keeps it (RefreshFailedError).
  obs.refreshCalls.forEach((call, index) => {
    const transient = call.outcome === 'transient' || call.outcome === 'timed-out'
    if (call.outcome === 'fatal' && call.reported !== 'login-required') problems.push(`[classify] refresh #${index + 1} got 400 from the token endpoint but was reported as ${call.reported}`)
    if (transient && call.reported !== 'refresh-failed') problems.push(`[classify] refresh #${index + 1} failed transiently (${call.outcome}) but was reported as ${call.reported}`)
  })

  // At most one refresh per expiry episode. An episode is one legitimate reason to refresh:
  // a server expiry, a 401 for a token the server stopped trusting early (spurious 401), a
  // short-lived token entering its refresh-ahead leeway before the run ended, and a refresh that
  // ended without new tokens while the session lived on (a 5xx, a reset, a hang or any call cut
  // off by refreshTimeoutMs): after such a failure the next 401 may rightly try again.
  const failedOver = obs.refreshCalls.filter((call) => call.reported === 'refresh-failed').length
  const aging = plan.accessLifetimeMs === undefined ? 0 : server.issued.filter((token) => token.expiresAt - LEEWAY_MS <= obs.settledAt).length
  const asked = obs.manualRefresh === undefined ? 0 : 1
  const episodes = server.expiries + server.spurious401Served + aging + failedOver + asked
  if (obs.refreshCalls.length > episodes) {
    problems.push(
      `[episodes] ${obs.refreshCalls.length} refresh calls for ${episodes} episodes (${server.expiries} expiries, ${server.spurious401Served} spurious 401s, ${aging} tokens near expiry, ${failedOver} failed refreshes, ${asked} refresh() by the app)`,
    )
  }
  if (server.refreshes.length > obs.refreshCalls.length) problems.push(`[episodes] the server saw ${server.refreshes.length} refresh calls, the client made ${obs.refreshCalls.length}`)

  // No refresh token is presented again after its successor reached the library. Judged by the
  // order of events, on one clock: the library's call of the refresh function (matched to the
  // server's record by its x-refresh-call number) against the moment the library took the tokens
  // that rotated it. Presented before that moment, the token's spending was the machine's doing:
  // a call cut off by refreshTimeoutMs whose answer still rotated the token (lost rotation), or
  // one answered, after an event-loop stall, only once the next call had rotated it (overtaken).
  for (const spent of server.spentRefreshPresented) {
    const call = spent.call === undefined ? undefined : obs.refreshCalls[spent.call - 1]
    // Without the client's record, the arrival at the server is the latest the token can have been presented.
    const presentedAt = call?.at ?? spent.receivedAt
    const deliveredAt = obs.delivered.get(spent.token)
    const token = obs.tokens.get(spent.token) ?? 'a refresh token'
    const which = spent.call === undefined ? `server refresh #${spent.refresh}` : `refresh #${spent.call}`
    if (deliveredAt !== undefined && presentedAt > deliveredAt) {
      problems.push(`[spent-token] ${which} presented ${token} ${ms(presentedAt - deliveredAt)} after the library received its successor`)
    } else if (deliveredAt !== undefined) {
      tolerated.push(`[machine: overtaken] ${which} presented ${token} ${ms(deliveredAt - presentedAt)} before its successor reached the library; the server answered it after the call that rotated ${token}`)
    } else {
      tolerated.push(`[machine: lost rotation] ${which} presented ${token}, spent on the server by a call whose answer the library never took (cut off by refreshTimeoutMs)`)
    }
  }

  // No token in a log line (the 401 diagnoses show at most a token's last 4 characters).
  for (const line of obs.logs) {
    for (const token of obs.tokens.keys()) if (line.includes(token)) problems.push(`[token-leak] a log line has a token in it: ${line.slice(0, 80)}…`)
  }

  // No token ever reaches the foreign origin.
  if (server.foreign.authorizations.length > 0) problems.push(`[token-origin] ${server.foreign.authorizations.length} requests carried a token to the foreign origin`)

  // onLoginRequired once per ended session, and only when a session ended.
  if (obs.loginRequired.length > obs.sessions) problems.push(`[login-required] onLoginRequired ran ${obs.loginRequired.length} times for ${obs.sessions} sessions`)
  const reasonOf = (settlement: { error?: unknown }) => {
    const error = settlement.error as { name?: string; reason?: string } | undefined
    return error?.name === 'LoginRequiredError' ? error.reason : undefined
  }
  const told = obs.settlements.filter((settlement) => reasonOf(settlement) !== undefined && reasonOf(settlement) !== 'signed-out')
  if (told.length > 0 && obs.loginRequired.length === 0) problems.push(`[login-required] ${told.length} requests rejected with LoginRequiredError, onLoginRequired never ran`)

  // The app's own refresh() settles too, with tokens or a typed error.
  if (obs.manualRefresh?.settled === 'pending') problems.push('[settle] the app\'s refresh() never settled')
  if (obs.manualRefresh?.settled === 'rejected' && !isReauthError(obs.manualRefresh.error)) {
    problems.push(`[error-type] the app's refresh() rejected with an unexpected ${describeError(obs.manualRefresh.error)}`)
  }

  if (server.bodyMismatches.length > 0) problems.push(`[mixup] the POST bodies of requests ${server.bodyMismatches.join(', ')} did not match their ids`)

  // Back to baseline: nothing refreshing, no timer, no abort listener, no socket being handled.
  if (obs.finalStatus === 'refreshing') problems.push('[baseline] the session was still refreshing after every request settled and the refresh timeout passed')
  if (obs.pendingTimers > 0) problems.push(`[baseline] ${obs.pendingTimers} library timers were still pending`)
  if (obs.leftoverListeners > 0) problems.push(`[baseline] ${obs.leftoverListeners} abort listeners were left on request signals`)
  if (!obs.serverIdle) problems.push('[baseline] the server was still handling requests a second after the run ended')
  for (const reason of obs.unhandled) problems.push(`[unhandled] ${describeError(reason)} was never handled (this run or one beside it)`)

  return { problems, tolerated }
}
