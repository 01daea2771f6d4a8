import { between, chance, mulberry32 } from '../helpers/fault-server'

/** One request of a chaos run, as the client issues it. */
export interface RequestPlan {
  /** Its `x-request-id`. */
  id: string
  /** When it is issued, in ms after the run starts. */
  at: number
  method: 'get' | 'post'
  /** Sent to the foreign origin (absolute URL) instead of the API. */
  foreign: boolean
  /** Aborted through its own AbortController this many ms after it was issued. */
  abortAfter: number | undefined
  /** `{ replay: false }`: a 401 must not send it again. */
  replay: boolean
  /** Carries the run's long-lived signal (never aborted), to catch listeners left on it. */
  sharedSignal: boolean
  /** `{ skipAuth: true }`: goes to the API without a token and its 401 is left alone. */
  skipAuth: boolean
}

/** Everything the client side of a run does, drawn from its seed. The server draws its faults from the same seed. */
export interface RunPlan {
  seed: number
  requests: RequestPlan[]
  /** When the server expires every access token, in ms after the run starts. */
  expiries: number[]
  /** Whether the refresh call goes through the attached instance itself or a separate one. */
  refreshVia: 'attached' | 'separate'
  /** How long the "user" takes to sign in again after onLoginRequired or a sign-out, in ms. */
  reloginAfterMs: number
  /**
   * Access-token lifetime in ms when tokens are short-lived: they then carry `expiresAt` and the
   * client refreshes ahead of expiry within LEEWAY_MS. `undefined`: tokens live an hour.
   */
  accessLifetimeMs: number | undefined
  /** When the app signs the user out (`clearTokens()`), in ms after the run starts. */
  signOutAt: number | undefined
  /** When the app sets tokens from another login (`setTokens()`) in the middle of the run. */
  loginAt: number | undefined
  /** When the app asks for a refresh itself (`refresh()`). */
  manualRefreshAt: number | undefined
}

/** The refresh-ahead leeway used with short-lived tokens. */
export const LEEWAY_MS = 30

export function planRun(seed: number): RunPlan {
  const rng = mulberry32(seed)
  const count = between(rng, [20, 50])
  const requests = Array.from({ length: count }, (_, index): RequestPlan => {
    const foreign = chance(rng, 0.1)
    const aborts = chance(rng, 0.15)
    return {
      id: String(index + 1),
      at: between(rng, [0, 100]),
      method: chance(rng, 0.3) ? 'post' : 'get',
      foreign,
      abortAfter: aborts ? between(rng, [0, 30]) : undefined,
      replay: foreign || !chance(rng, 0.03),
      sharedSignal: !aborts && chance(rng, 0.5),
      skipAuth: !foreign && chance(rng, 0.04),
    }
  })
  const expiries = Array.from({ length: between(rng, [0, 3]) }, () => between(rng, [0, 120])).sort((a, b) => a - b)
  return {
    seed,
    requests,
    expiries,
    refreshVia: chance(rng, 0.5) ? 'attached' : 'separate',
    reloginAfterMs: between(rng, [0, 10]),
    accessLifetimeMs: chance(rng, 0.35) ? between(rng, [60, 150]) : undefined,
    signOutAt: chance(rng, 0.15) ? between(rng, [0, 120]) : undefined,
    loginAt: chance(rng, 0.15) ? between(rng, [0, 120]) : undefined,
    manualRefreshAt: chance(rng, 0.15) ? between(rng, [0, 120]) : undefined,
  }
}

/** A one-line summary of a plan, for failure messages. */
export function describePlan(plan: RunPlan): string {
  const foreign = plan.requests.filter((request) => request.foreign).length
  const aborted = plan.requests.filter((request) => request.abortAfter !== undefined).length
  const events = [
    `expiries at [${plan.expiries.join(', ')}] ms`,
    plan.accessLifetimeMs === undefined ? 'hour-long tokens' : `tokens living ${plan.accessLifetimeMs} ms`,
    plan.signOutAt === undefined ? undefined : `sign-out at ${plan.signOutAt} ms`,
    plan.loginAt === undefined ? undefined : `login at ${plan.loginAt} ms`,
    plan.manualRefreshAt === undefined ? undefined : `refresh() at ${plan.manualRefreshAt} ms`,
    `refresh via ${plan.refreshVia} instance`,
  ]
  return `${plan.requests.length} requests (${foreign} foreign, ${aborted} aborted), ${events.filter(Boolean).join(', ')}`
}
