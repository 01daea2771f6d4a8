import { StepUpRequiredError, type ReauthError } from '../core'
import type { SessionPort } from '../core/internal'
import type { RequestStamp } from './request-stamp'

/**
 * The wait before a request that met a step-up challenge is replayed: the app's `stepUp`,
 * shared by the requests with the same demand. `undefined` when the request rejects as it is:
 * no `stepUp` option, another typed error, or a request already sent twice (a stepped-up token
 * refused again is not stepped up a second time).
 */
export function stepUpWait(session: SessionPort, typed: ReauthError, stamp: RequestStamp, signal: AbortSignal | undefined): Promise<void> | undefined {
  if (!(typed instanceof StepUpRequiredError) || stamp.replayed || stamp.nonceRetried) return undefined
  return session.stepUp(typed, signal)
}
