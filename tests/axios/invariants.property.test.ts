import axios from 'axios'
import {
  createAuthClient,
  isReauthError,
  LoginRequiredError,
  type LoginRequiredEvent,
  type RefreshContext,
  type RefreshResult,
} from 'axios-reauth'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { API } from '../helpers/api'
import { afterSteps, createScheduledAdapter, createScheduledClock, drain, type ScheduledExchange } from '../helpers/scheduled-adapter'

/*
 * The library's invariants, checked end to end through a real axios instance under schedules that
 * fast-check picks. Everything asynchronous is a scheduled task: each server response, each
 * refresh answer, each timer of the client's clock, each late send, abort and server expiry.
 *
 *   1. every request promise settles exactly once;
 *   2. at most one refresh is in flight at any moment;
 *   3. refresh calls <= expiry episodes (defined in checkInvariants);
 *   4. no request is sent more than twice;
 *   5. a request leaves with the newest token at its send time (or none when there are none);
 *   6. no token reaches a foreign origin;
 *   7. onLoginRequired is called at most once, and exactly once when a request was told to sign
 *      in again; no tokens come back after it (the test never calls setTokens);
 *   8. every rejection is a CanceledError (aborted requests), the foreign origin's own 401, or a
 *      typed axios-reauth error; nothing else leaks, not even as an unhandled rejection.
 */

/**
 * What the refresh function does, in order of calls: `ok` issues a new token `t<n>` (older ones
 * keep working until a server expiry), `fatal` rejects with a 400, `transient` with a 503, `hang`
 * never answers (only its signal ends it), `no-access-token` resolves `{}` (an app bug).
 */
type RefreshOutcome = 'ok' | 'fatal' | 'transient' | 'hang' | 'no-access-token'

interface RequestPlan {
  /** Sent to `https://evil.test` (absolute URL) instead of the instance's baseURL. */
  foreign: boolean
  /** 0: sent at the start; n: sent after n scheduled steps, at a moment the scheduler picks. */
  sendAfter: number
  /** Aborted through its AbortSignal after this many scheduled steps; never when undefined. */
  abortAfter: number | undefined
}

interface Scenario {
  requests: RequestPlan[]
  /** The server no longer accepts the initial token `t0`. */
  initialExpired: boolean
  /** One entry per server expiry event (every token issued so far stops working): its scheduled steps. */
  expiries: number[]
  /** Consumed in order, one per refresh call; `ok` once the list runs out. */
  outcomes: RefreshOutcome[]
  /** Scheduled steps a timer takes to fire: how long the refresh timeout is, next to everything else. */
  timerSteps: number
}

interface Run {
  trace: string[]
  /** Problems noticed at the moment they happened (sends, refresh calls). */
  problems: string[]
  settles: Array<{ count: number; fulfilled?: boolean; error?: unknown }>
  aborted: boolean[]
  sends: Map<string, number>
  /** Each refresh call: its planned outcome, and whether it was cut off (aborted) before answering. */
  refreshes: Array<{ outcome: RefreshOutcome; cutOff: boolean }>
  expiryEvents: number
  loginRequired: LoginRequiredEvent[]
  /** Rejections nobody handled while the scenario ran. */
  unhandled: unknown[]
}

const REFRESH_TIMEOUT_MS = 5_000

/** `false` three times out of four; shrinks towards `false`. */
const rarely = fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 })

/** A number of scheduled steps: the larger, the later the event tends to happen. */
const steps = fc.integer({ min: 1, max: 8 })

const scenarios: fc.Arbitrary<Scenario> = fc.record({
  requests: fc.array(
    fc.record({
      foreign: rarely,
      sendAfter: fc.oneof(fc.constant(0), steps),
      abortAfter: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: steps, weight: 1 }),
    }),
    { minLength: 1, maxLength: 15 },
  ),
  initialExpired: fc.boolean(),
  expiries: fc.array(steps, { maxLength: 2 }),
  outcomes: fc.array(
    fc.oneof(
      { arbitrary: fc.constant<RefreshOutcome>('ok'), weight: 4 },
      { arbitrary: fc.constantFrom<RefreshOutcome>('fatal', 'transient', 'hang', 'no-access-token'), weight: 3 },
    ),
    { maxLength: 4 },
  ),
  timerSteps: steps,
})

const describeError = (error: unknown): string => {
  if (axios.isCancel(error)) return 'CanceledError'
  if (error instanceof LoginRequiredError) return `LoginRequiredError(${error.reason})`
  if (isReauthError(error)) return `${error.name}(${error.code})`
  if (axios.isAxiosError(error)) return `AxiosError(${error.response?.status ?? error.code})`
  return String(error)
}

/**
 * Runs one scenario through a real axios instance with the client attached, against an in-memory
 * server whose responses, refresh outcomes, timers, late sends, aborts and expiries are all
 * released by the scheduler `s`. Returns what was observed once nothing is left to release.
 */
async function runScenario(s: fc.Scheduler, scenario: Scenario): Promise<Run> {
  const run: Run = {
    trace: [],
    problems: [],
    settles: scenario.requests.map(() => ({ count: 0 })),
    aborted: scenario.requests.map(() => false),
    sends: new Map(),
    refreshes: [],
    expiryEvents: 0,
    loginRequired: [],
    unhandled: [],
  }
  const onUnhandled = (reason: unknown) => {
    run.unhandled.push(reason)
  }
  process.on('unhandledRejection', onUnhandled)
  const { trace, problems } = run
  const live = new Set(scenario.initialExpired ? [] : ['t0'])
  let issued = 0
  let inFlight: number | undefined

  const refresh = ({ signal }: RefreshContext): Promise<RefreshResult> => {
    const index = run.refreshes.length
    const call = { outcome: scenario.outcomes[index] ?? 'ok', cutOff: false }
    run.refreshes.push(call)
    trace.push(`refresh #${index + 1} called (${call.outcome})`)
    if (inFlight !== undefined) problems.push(`[2] refresh #${index + 1} started while refresh #${inFlight + 1} was still in flight`)
    inFlight = index
    let ended = false
    const end = () => {
      if (ended) return
      ended = true
      if (inFlight === index) inFlight = undefined
    }
    // A real token call passes the signal on, so an aborted refresh ends at once.
    const aborted = new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => {
        if (!ended) {
          call.cutOff = true
          trace.push(`refresh #${index + 1} cut off: ${String(signal.reason)}`)
        }
        end()
        reject(signal.reason)
      }, { once: true })
    })
    aborted.catch(() => {})
    if (call.outcome === 'hang') return aborted
    const answered = s.schedule(Promise.resolve(), `refresh #${index + 1} ${call.outcome}`).then((): RefreshResult => {
      if (!ended) trace.push(`refresh #${index + 1} answers ${call.outcome}`)
      end()
      switch (call.outcome) {
        case 'ok': {
          const accessToken = `t${++issued}`
          live.add(accessToken)
          return { accessToken, refreshToken: `r${issued}` }
        }
        case 'fatal':
          throw { response: { status: 400 } }
        case 'transient':
          throw { response: { status: 503 } }
        default:
          // An app bug: the token endpoint's field was not mapped.
          return {} as RefreshResult
      }
    })
    return Promise.race([answered, aborted])
  }

  const auth = createAuthClient({
    refresh,
    tokens: { accessToken: 't0', refreshToken: 'r0' },
    clock: createScheduledClock(s, { steps: scenario.timerSteps }),
    refreshTimeoutMs: REFRESH_TIMEOUT_MS,
    onLoginRequired: (event) => {
      trace.push(`onLoginRequired(${event.reason})`)
      run.loginRequired.push(event)
    },
  })

  auth.on('tokens', (tokens) => {
    trace.push(tokens ? `tokens now ${tokens.accessToken}` : 'tokens cleared')
    // No setTokens() here: once login is required, nothing may bring tokens back.
    if (tokens && run.loginRequired.length > 0) {
      problems.push(`[7] the session came back with ${tokens.accessToken} after onLoginRequired(${run.loginRequired[0]!.reason})`)
    }
  })

  const onSend = (exchange: ScheduledExchange) => {
    const { id, attempt, origin, authorization } = exchange
    trace.push(`send #${id} (send ${attempt}) to ${origin} with ${authorization ?? 'no Authorization'}`)
    run.sends.set(id, attempt)
    if (attempt > 2) problems.push(`[4] request #${id} was sent ${attempt} times`)
    if (origin !== API) {
      if (authorization !== undefined) problems.push(`[6] request #${id} carried "${authorization}" to ${origin}`)
      return
    }
    const newest = auth.getTokens()?.accessToken
    const expected = newest === undefined ? undefined : `Bearer ${newest}`
    if (authorization !== expected) {
      problems.push(`[5] request #${id} (send ${attempt}) left with "${authorization}" while the newest was "${expected}"`)
    }
  }
  const answer = ({ id, origin, authorization }: ScheduledExchange) => {
    const token = authorization?.replace(/^Bearer /, '')
    const status = origin === API && token !== undefined && live.has(token) ? 200 : 401
    trace.push(`respond #${id} ${status}`)
    return status
  }
  const client = axios.create({ baseURL: API, adapter: createScheduledAdapter(s, { onSend, answer }) })
  auth.attach(client)

  scenario.expiries.forEach((after, k) => {
    void afterSteps(s, `server expiry ${k + 1}`, after).then(() => {
      run.expiryEvents += 1
      trace.push(`server expires ${[...live].join(', ') || 'nothing'}`)
      live.clear()
    })
  })

  scenario.requests.forEach((plan, i) => {
    const id = String(i + 1)
    const controller = plan.abortAfter === undefined ? undefined : new AbortController()
    const send = () => {
      const url = plan.foreign ? `https://evil.test/items/${id}` : `/items/${id}`
      client.get(url, { headers: { 'x-request-id': id }, signal: controller?.signal }).then(
        () => {
          run.settles[i]!.count += 1
          run.settles[i]!.fulfilled = true
          trace.push(`#${id} fulfilled`)
        },
        (error: unknown) => {
          run.settles[i]!.count += 1
          run.settles[i]!.fulfilled = false
          run.settles[i]!.error = error
          trace.push(`#${id} rejected: ${describeError(error)}`)
        },
      )
    }
    if (plan.sendAfter === 0) send()
    else void afterSteps(s, `issue #${id}`, plan.sendAfter).then(send)
    if (controller) {
      void afterSteps(s, `abort #${id}`, plan.abortAfter!).then(() => {
        run.aborted[i] = true
        trace.push(`abort #${id}`)
        controller.abort()
      })
    }
  })

  try {
    await drain(s)
    // Node reports unhandled rejections only once the microtask queue is empty, which it never is
    // while scheduled tasks run: one macrotask turn (no time passes) lets this run's surface here.
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    process.off('unhandledRejection', onUnhandled)
  }
  return run
}

/** Checks every invariant on a finished run; throws one error listing all that broke. */
function checkInvariants(scenario: Scenario, run: Run): void {
  const problems = [...run.problems]

  // 1. Every request promise settles exactly once.
  run.settles.forEach((settle, i) => {
    if (settle.count !== 1) problems.push(`[1] request #${i + 1} settled ${settle.count} times`)
  })

  // 2 is checked at each refresh call (see runScenario).

  // 3. An expiry episode is one legitimate reason to refresh: the initial token being expired, each
  //    server expiry event, and each refresh that ended without a usable token while the session
  //    lived on (transient failure, a hang or any refresh cut off by the timeout, a result without
  //    an access token). After such a failure the next 401 may rightly try again.
  const episodes =
    (scenario.initialExpired ? 1 : 0) +
    run.expiryEvents +
    run.refreshes.filter((call) => call.cutOff || ['transient', 'hang', 'no-access-token'].includes(call.outcome)).length
  if (run.refreshes.length > episodes) problems.push(`[3] ${run.refreshes.length} refresh calls for ${episodes} expiry episodes`)

  // 4, 5 and 6 are checked at each send (see runScenario).

  // 7. onLoginRequired at most once; exactly once if a request was told to sign in again. That no
  //    tokens come back after it is checked at each token change (see runScenario).
  const loginRequiredErrors = run.settles.filter(
    (settle) => settle.error instanceof LoginRequiredError && settle.error.reason !== 'signed-out',
  )
  if (run.loginRequired.length > 1) problems.push(`[7] onLoginRequired was called ${run.loginRequired.length} times`)
  if (loginRequiredErrors.length > 0 && run.loginRequired.length !== 1) {
    problems.push(`[7] ${loginRequiredErrors.length} requests rejected with LoginRequiredError but onLoginRequired was called ${run.loginRequired.length} times`)
  }

  // 8. Every rejection is a CanceledError (aborted requests only), the foreign origin's own 401,
  //    or a typed axios-reauth error: nothing else leaks.
  run.settles.forEach((settle, i) => {
    const plan = scenario.requests[i]!
    const name = `request #${i + 1}${plan.foreign ? ' (foreign)' : ''}`
    if (settle.count === 0) return
    if (settle.fulfilled) {
      if (plan.foreign) problems.push(`[8] ${name} was fulfilled, but the foreign origin always answers 401`)
      return
    }
    const { error } = settle
    if (axios.isCancel(error)) {
      if (!run.aborted[i]) problems.push(`[8] ${name} rejected with CanceledError but was never aborted`)
    } else if (axios.isAxiosError(error) && error.response?.status === 401) {
      if (!plan.foreign) problems.push(`[8] ${name} leaked its raw 401 AxiosError`)
    } else if (isReauthError(error)) {
      if (plan.foreign) problems.push(`[8] ${name} rejected with ${describeError(error)} instead of its own 401`)
    } else {
      problems.push(`[8] ${name} rejected with an unexpected ${describeError(error)}`)
    }
  })

  for (const reason of run.unhandled) problems.push(`[8] ${describeError(reason)} leaked as an unhandled rejection`)

  if (problems.length > 0) {
    throw new Error(
      [
        'Invariants broken:',
        ...problems.map((problem) => `  ${problem}`),
        `Scenario: ${JSON.stringify(scenario)}`,
        'Trace:',
        ...run.trace.map((line) => `  ${line}`),
      ].join('\n'),
    )
  }
}

/** What a settled request ended with, for the example tests. */
const endings = (run: Run) => run.settles.map((settle) => (settle.fulfilled ? 'fulfilled' : describeError(settle.error)))

describe('invariants under random schedules', () => {
  it('holds every invariant for any order of responses, refreshes, expiries, aborts and timeouts', async () => {
    // The paths the property must reach, so that it cannot pass by testing nothing.
    const reached = new Set<string>()
    // A failure prints its seed and path: pass them back with `{ seed, path, endOnFailure: true }` to replay it.
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), scenarios, async (s, scenario) => {
        const run = await runScenario(s, scenario)
        checkInvariants(scenario, run)
        if ([...run.sends.values()].includes(2)) reached.add('replay')
        if (run.refreshes.some((call) => call.cutOff)) reached.add('refresh cut off')
        for (const ending of endings(run)) reached.add(ending.replace(/\(.*\)$/, ''))
      }),
      // Each run takes about a millisecond: 3000 runs reach interleavings rare enough to hit one run in 250.
      { numRuns: 3000 },
    )
    expect([...reached].sort()).toEqual(
      expect.arrayContaining(['AxiosError', 'CanceledError', 'LoginRequiredError', 'RefreshFailedError', 'fulfilled', 'refresh cut off', 'replay']),
    )
  }, 60_000)
})

/**
 * A scheduler releasing tasks in the order of a fast-check report (as printed for a failure).
 * Task numbers follow the order in which the code schedules tasks, so when the code changes
 * they may name other tasks: `runIn` then fails on the first label that differs from the report,
 * rather than replaying a different story. (The async `act` turns a task missing from the
 * order into a rejection of waitIdle() instead of a hang.)
 */
function inOrder(strings: TemplateStringsArray, ...ids: number[]) {
  const labels = new Map(ids.map((id, i) => [id, /^\] \w+::(.*) (?:resolved|rejected)/.exec(strings[i + 1]!.trim())?.[1]]))
  const s = fc.schedulerFor(ids, { act: async (release) => release() })
  const runIn = (scenario: Scenario) =>
    runScenario(s, scenario).finally(() => {
      const moved = s.report().find((task) => labels.has(task.taskId) && labels.get(task.taskId) !== task.label)
      if (moved) throw new Error(`The schedule no longer matches the code: task ${moved.taskId} is "${moved.label}", not "${labels.get(moved.taskId)}".`)
    })
  return { runIn }
}

describe('hand-ordered schedules', () => {
  const atStart: RequestPlan = { foreign: false, sendAfter: 0, abortAfter: undefined }
  const afterOneStep: RequestPlan = { ...atStart, sendAfter: 1 }

  it('replays a late 401 with the newest token without a second refresh', async () => {
    // #1 and #2 leave with t0; the server expires t0. #2's 401 refreshes to t1, then #1's 401
    // arrives late: it was sent before t1 existed, so it is replayed with t1 and no refresh.
    const scenario: Scenario = { requests: [atStart, atStart], initialExpired: false, expiries: [1], outcomes: ['ok'], timerSteps: 1 }
    const { runIn } = inOrder`
      -> [task${1}] promise::server expiry 1 resolved
      -> [task${3}] promise::respond #2 (send 1) resolved
      -> [task${4}] promise::refresh #1 ok resolved
      -> [task${2}] promise::respond #1 (send 1) resolved
      -> [task${6}] promise::respond #2 (send 2) resolved
      -> [task${7}] promise::respond #1 (send 2) resolved
      -> [task${5}] promise::timer 1 (5000 ms) resolved`
    const run = await runIn(scenario)
    checkInvariants(scenario, run)
    expect(endings(run)).toEqual(['fulfilled', 'fulfilled'])
    expect(run.refreshes).toHaveLength(1)
    expect(run.trace).toContain('send #1 (send 2) to https://api.test with Bearer t1')
  })

  it('times out a hung refresh, rejects the held request with it, and refreshes again on the next 401', async () => {
    // #1's 401 starts a refresh that hangs; #2, issued meanwhile, is held. The timer fires: both
    // reject with RefreshFailedError and #2 never leaves. #3, issued afterwards with the old
    // token, gets 401 and starts the second refresh, which succeeds.
    const scenario: Scenario = {
      requests: [atStart, afterOneStep, afterOneStep],
      initialExpired: true,
      expiries: [],
      outcomes: ['hang'],
      timerSteps: 1,
    }
    const { runIn } = inOrder`
      -> [task${1}] promise::respond #1 (send 1) resolved
      -> [task${2}] promise::issue #2 resolved
      -> [task${4}] promise::timer 1 (5000 ms) resolved
      -> [task${3}] promise::issue #3 resolved
      -> [task${5}] promise::respond #3 (send 1) resolved
      -> [task${6}] promise::refresh #2 ok resolved
      -> [task${8}] promise::respond #3 (send 2) resolved
      -> [task${7}] promise::timer 2 (5000 ms) resolved`
    const run = await runIn(scenario)
    checkInvariants(scenario, run)
    expect(endings(run)).toEqual(['RefreshFailedError(refresh-failed)', 'RefreshFailedError(refresh-failed)', 'fulfilled'])
    expect(run.sends.has('2')).toBe(false)
    expect(run.refreshes).toEqual([{ outcome: 'hang', cutOff: true }, { outcome: 'ok', cutOff: false }])
    expect(run.loginRequired).toHaveLength(0)
  })

  it('keeps the session over when a replay is refused while another refresh is in flight', async () => {
    // #1's 401 refreshes to t1 and #1 is replayed with it; the server expires t1. #2, sent with
    // t1, gets 401 and starts a second refresh. #1's replay is refused meanwhile: the session
    // ends (token-revoked). The second refresh must not bring it back, or a later refusal
    // (the server expires t2, #2's replay gets 401) would call onLoginRequired a second time.
    const scenario: Scenario = { requests: [atStart, afterOneStep], initialExpired: true, expiries: [1, 1], outcomes: [], timerSteps: 1 }
    const { runIn } = inOrder`
      -> [task${3}] promise::respond #1 (send 1) resolved
      -> [task${5}] promise::refresh #1 ok resolved
      -> [task${1}] promise::server expiry 1 resolved
      -> [task${4}] promise::issue #2 resolved
      -> [task${8}] promise::respond #2 (send 1) resolved
      -> [task${7}] promise::respond #1 (send 2) resolved
      -> [task${9}] promise::refresh #2 ok resolved
      -> [task${2}] promise::server expiry 2 resolved
      -> [task${6}] promise::timer 1 (5000 ms) resolved
      -> [task${10}] promise::timer 2 (5000 ms) resolved
      -> [task${11}] promise::respond #2 (send 2) resolved`
    const run = await runIn(scenario)
    checkInvariants(scenario, run)
    expect(endings(run)).toEqual(['LoginRequiredError(token-revoked)', 'LoginRequiredError(token-revoked)'])
    expect(run.loginRequired).toHaveLength(1)
  })
})
