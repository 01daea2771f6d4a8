import type { Clock } from '../time/clock'
import { createDeferred, type Deferred } from '../support/deferred'
import { ReauthError } from '../errors'
import type { ReauthenticateFunction, Tokens } from '../types'
import type { Credential, Login, SessionEvent } from './state'

// A tab that waits for another tab's sign-in gives up a little after that tab would, so that the
// sign-in tab's own outcome (its tokens, or its sign-out) normally arrives first.
const TAB_WAIT_MARGIN_MS = 1_000

/** What the pending sign-in needs of its session. */
export interface ReauthenticationDeps {
  readonly reauthenticate: ReauthenticateFunction | undefined
  readonly timeoutMs: number
  readonly clock: Clock
  dispatch(event: SessionEvent): void
  /** The tokens the sign-in gave, as a credential; throws for a malformed result. */
  issued(raw: unknown): Credential
}

interface Pending {
  readonly deferred: Deferred<Tokens>
  readonly controller: AbortController
  readonly timer: unknown
  /** The app's `reauthenticate` answered (rather than the sign-in being ended for it). */
  answered: boolean
}

/**
 * The session's one pending sign-in: opened by the `openLogin` effect, bounded by
 * `reauthenticateTimeoutMs`, answered back as an event (`reauthenticated` or
 * `reauthenticationFailed`); `settle` ends the shared promise that held requests wait on.
 * @example
 * ```ts
 * const login = createReauthentication(deps)
 * login.open(3, { where: 'here', reason: 'refresh-rejected', cause }, undefined)
 * ```
 */
export function createReauthentication(deps: ReauthenticationDeps) {
  let pending: Pending | undefined

  const fail = (attempt: number, cause: unknown) => deps.dispatch({ type: 'reauthenticationFailed', attempt, cause })

  /** Opens the sign-in of `attempt`; `carried` is the promise of a refresh in flight, whose callers now wait for it. */
  const open = (attempt: number, login: Login, carried: Deferred<Tokens> | undefined) => {
    const deferred = carried ?? createDeferred<Tokens>()
    // Callers that never await (timers, fire-and-forget) must not cause unhandled rejections.
    deferred.promise.catch(() => {})
    const controller = new AbortController()
    // `here` runs the app's reauthenticate; `tab` only waits for another tab's sign-in.
    const signsInHere = login.where === 'here'
    const boundMs = signsInHere ? deps.timeoutMs : deps.timeoutMs + TAB_WAIT_MARGIN_MS
    const timer = deps.clock.setTimeout(() => {
      const where = signsInHere ? 'reauthenticate did not settle' : 'the sign-in in another tab did not finish'
      fail(attempt, new ReauthError('reauthenticate-timeout', `The sign-in timed out: ${where} within ${deps.timeoutMs} ms. Raise reauthenticateTimeoutMs, or settle reauthenticate when the dialog closes.`, { cause: login.cause }))
    }, boundMs)
    const current: Pending = { deferred, controller, timer, answered: false }
    pending = current
    const { reauthenticate } = deps
    if (!signsInHere || !reauthenticate) return
    let call: Promise<unknown>
    try {
      call = Promise.resolve(reauthenticate({ reason: login.reason, cause: login.cause, signal: controller.signal }))
    } catch (error) {
      call = Promise.reject(error)
    }
    call.then(
      (raw) => {
        current.answered = true
        let credential: Credential
        try {
          credential = deps.issued(raw)
        } catch (invalid) {
          return fail(attempt, invalid)
        }
        deps.dispatch({ type: 'reauthenticated', attempt, credential })
      },
      (cause: unknown) => {
        current.answered = true
        fail(attempt, cause)
      },
    )
  }

  const settle = (tokens: Tokens | undefined, error: ReauthError | undefined) => {
    const current = pending
    if (!current) return
    pending = undefined
    deps.clock.clearTimeout(current.timer)
    // Ended for a reason other than its own answer (tokens from elsewhere, a sign-out, the timeout): the dialog may close.
    if (!current.answered) current.controller.abort(error ?? new Error('the sign-in is no longer needed: tokens arrived'))
    if (tokens) current.deferred.resolve(tokens)
    else current.deferred.reject(error)
  }

  return {
    open,
    settle,
    /** What waiting requests await: the pending sign-in's tokens; `undefined` when none is pending. */
    get promise(): Promise<Tokens> | undefined {
      return pending?.deferred.promise
    },
  }
}
