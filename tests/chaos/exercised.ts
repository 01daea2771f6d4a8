import type { RunPlan } from './plan'
import { describeError, type Observation } from './run-chaos'

/** What must happen somewhere in the default 200 seeds, or the chaos has gone tame. */
export const EXPECTED_FEATURES = [
  'refresh ok',
  'refresh fatal',
  'refresh transient',
  'refresh timed-out',
  'server 401',
  'server spurious-401',
  'server error-status',
  'server reset',
  'server client-gone',
  'replayed',
  'rejected CanceledError',
  'rejected LoginRequiredError',
  'rejected RefreshFailedError',
  'rejected ReauthError(replay-skipped)',
  'rejected ReauthError(replay-rejected)',
  'foreign 401',
  'signed in again',
  'refresh superseded',
  'refresh ahead of expiry',
  'skipAuth 401 left alone',
  // The spent-token check compares against these moments: without any, it would judge nothing.
  'rotation delivered',
] as const

/** The features one run exercised, named as in {@link EXPECTED_FEATURES}. */
export function exercised(plan: RunPlan, obs: Observation): Set<string> {
  const features = new Set<string>()
  for (const call of obs.refreshCalls) features.add(`refresh ${call.outcome}`)
  for (const arrivals of obs.server.arrivals.values()) {
    if (arrivals.length > 1) features.add('replayed')
    for (const arrival of arrivals) features.add(`server ${arrival.outcome}`)
  }
  obs.settlements.forEach(({ error }, index) => {
    if (error === undefined) return
    const name = describeError(error)
    features.add(`rejected ${name.replace(/\((?!replay-).*\)$/, '')}`)
    const { foreign, skipAuth } = plan.requests[index]!
    if (name === 'AxiosError(401)') features.add(foreign ? 'foreign 401' : skipAuth ? 'skipAuth 401 left alone' : 'raw 401')
  })
  // A refresh with no server 401 behind it was started ahead of expiry.
  if (obs.refreshCalls.length > 0 && plan.accessLifetimeMs !== undefined && obs.server.expiries === 0 && obs.server.spurious401Served === 0) {
    features.add('refresh ahead of expiry')
  }
  if (obs.sessions > 1) features.add('signed in again')
  if (obs.delivered.size > 0) features.add('rotation delivered')
  return features
}
