import type { Clock } from '../time/clock'
import { abortable } from '../hold/abortable'
import { ReauthError, type StepUpRequiredError } from '../errors'
import type { RefreshResult, StepUpFunction } from '../types'

/** What step-ups need of their session. */
export interface StepUpDeps {
  readonly stepUp: StepUpFunction
  readonly timeoutMs: number
  readonly clock: Clock
  /** Puts the stepped-up tokens in place, as a login does. */
  setTokens(tokens: RefreshResult): void
}

interface Running {
  readonly done: Promise<void>
  readonly controller: AbortController
}

/**
 * Runs the app's `stepUp` once per demand (the same `acrValues` and `maxAge`) for every request
 * that meets it meanwhile; the stepped-up tokens replace the session's, so the requests replay
 * with them. Each run is bounded by `reauthenticateTimeoutMs`.
 * @example
 * ```ts
 * const stepUps = createStepUps({ stepUp, timeoutMs: 300_000, clock, setTokens: session.setTokens })
 * await stepUps.run(error, request.signal) // then replay
 * ```
 */
export function createStepUps(deps: StepUpDeps) {
  const running = new Map<string, Running>()
  // Why every step-up was stopped (the client was disposed): what waiting requests reject with then.
  let stopped: unknown

  const start = (key: string, error: StepUpRequiredError): Running => {
    const controller = new AbortController()
    const timer = deps.clock.setTimeout(
      () => controller.abort(new ReauthError('step-up-timeout', `The step-up timed out: stepUp did not settle within ${deps.timeoutMs} ms. Raise reauthenticateTimeoutMs, or settle stepUp when its dialog closes.`, { cause: error })),
      deps.timeoutMs,
    )
    let call: Promise<RefreshResult>
    try {
      call = Promise.resolve(deps.stepUp({ acrValues: error.acrValues, maxAge: error.maxAge, cause: error, signal: controller.signal }))
    } catch (thrown) {
      call = Promise.reject(thrown)
    }
    const done = abortable(call, controller.signal)
      .then((tokens) => deps.setTokens(tokens))
      .finally(() => {
        deps.clock.clearTimeout(timer)
        running.delete(key)
      })
    // Requests that aborted meanwhile leave nobody to hear the failure.
    done.catch(() => {})
    return { done, controller }
  }

  return {
    /**
     * Waits for the step-up that `error` demands (starting it, or joining the one running).
     * Rejects with `error` itself when the step-up fails, so the request fails as it would
     * without `stepUp`; with the signal's reason when the request aborts first; with the
     * reason of `stop()` after it.
     */
    run(error: StepUpRequiredError, signal?: AbortSignal | null): Promise<void> {
      const key = `${error.acrValues ?? ''}\u0000${error.maxAge ?? ''}`
      const current = running.get(key) ?? start(key, error)
      running.set(key, current)
      return abortable(
        current.done.catch(() => Promise.reject(stopped ?? error)),
        signal,
      )
    },
    /** Aborts every step-up running (the client is disposed). */
    stop(reason: unknown) {
      stopped = reason
      for (const { controller } of running.values()) controller.abort(reason)
    },
  }
}
