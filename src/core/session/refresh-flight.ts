import type { Clock } from '../time/clock'
import type { TabCoordinator } from '../tabs/coordinator'
import { createDeferred, type Deferred } from '../support/deferred'
import { RefreshFailedError, type ConfigurationError, type ReauthError } from '../errors'
import { toError } from '../support/to-error'
import { selfWaitError } from '../refresh/self-wait-error'
import type { ServerClock } from '../time/server-clock'
import { RefreshTimeoutError, timebox } from '../refresh/timebox'
import type { TokenPersistence } from '../tokens/persistence'
import { normalizeTokens } from '../tokens/tokens'
import type { RefreshFailureKind, RefreshFunction, Tokens } from '../types'
import { credentialOf, type Credential, type SessionEvent, type SessionState } from './state'

// How long a tab keeps the cross-tab lock after broadcasting new tokens, so that they reach the
// other tabs (a same-browser message takes well under this) before one of them takes the lock.
const CHANNEL_GRACE_MS = 50

/** The refresh call in flight: one per attempt, shared by every caller. */
export interface Flight {
  readonly attempt: number
  readonly refreshToken: string | undefined
  readonly controller: AbortController
  readonly deferred: Deferred<Tokens>
  /** The refresh function answered (rather than the flight being ended for it). */
  answered: boolean
}

/** What the refresh flight needs of its session. */
export interface FlightDeps {
  readonly refresh: RefreshFunction
  readonly refreshTimeoutMs: number
  readonly clock: Clock
  readonly serverClock: ServerClock
  readonly persistence: TokenPersistence
  readonly tabs: TabCoordinator | undefined
  readonly tabLockName: string
  readonly classify: (error: unknown) => RefreshFailureKind
  /** A refused refresh opens a sign-in (`reauthenticate`) rather than ending the session. */
  readonly reauthenticates: boolean
  state(): SessionState
  dispatch(event: SessionEvent): void
  /** Tokens the token endpoint just issued, as a credential; throws for a malformed result. */
  issued(raw: unknown): Credential
  /** The current access token has expired (server time). */
  isExpired(): boolean
  heldRequests(): number
}

/**
 * The session's one refresh call at a time: started by the `callRefresh` effect, timeboxed,
 * under the cross-tab lock when tabs coordinate, and answered back as an event
 * (`refreshSucceeded`, `refreshFailed`, or late tokens). `settle` ends the shared promise.
 * @example
 * ```ts
 * const flight = createRefreshFlight(deps)
 * flight.start(1, 'refresh-token')
 * ```
 */
export function createRefreshFlight(deps: FlightDeps) {
  let flight: Flight | undefined
  let isCalling = false

  /** Ends the flight in progress, if any. Ended for a reason other than its own answer (new tokens, a sign-out, a sign-in): its call stops. */
  const end = (superseded: string) => {
    const current = flight
    flight = undefined
    if (current && !current.answered) current.controller.abort(new Error(superseded))
    return current
  }

  const settle = (tokens: Tokens | undefined, error: ReauthError | undefined) => {
    const current = end('the refresh was superseded')
    if (tokens) current?.deferred.resolve(tokens)
    else current?.deferred.reject(error)
  }

  /** Ends the flight without settling its promise, which the caller settles later (a sign-in takes it over). */
  const handOver = (): Deferred<Tokens> | undefined => end('the refresh was superseded by a sign-in')?.deferred

  const start = (attempt: number, refreshToken: string | undefined) => {
    const controller = new AbortController()
    const deferred = createDeferred<Tokens>()
    // Callers that never await (timers, fire-and-forget) must not cause unhandled rejections.
    deferred.promise.catch(() => {})
    const current: Flight = { attempt, refreshToken, controller, deferred, answered: false }
    flight = current
    const startedGeneration = deps.state().generation
    const startedWith = credentialOf(deps.state())?.tokens.accessToken
    let call: Promise<Tokens>
    try {
      const { tabs } = deps
      call = tabs
        ? tabs.lock(deps.tabLockName, deps.refreshTimeoutMs + 1_000, () => refreshInTurn(current, startedWith, startedGeneration))
        : callRefresh(controller, refreshToken, startedGeneration)
    } catch (error) {
      call = Promise.reject(error)
    }
    call.then(
      (value) => answer(current, { ok: true, value }),
      (error: unknown) => answer(current, { ok: false, error }),
    )
  }

  const answer = (current: Flight, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) => {
    current.answered = true
    const at = deps.clock.now()
    if (outcome.ok) {
      let credential: Credential
      try {
        credential = deps.issued(outcome.value)
      } catch (invalid) {
        // A refresh function returning the wrong shape is a bug to fix, not a reason to sign out.
        return deps.dispatch({ type: 'refreshFailed', attempt: current.attempt, fatal: false, error: invalid as ConfigurationError, cause: invalid, usable: false, at })
      }
      return deps.dispatch({ type: 'refreshSucceeded', attempt: current.attempt, credential })
    }
    const cause = outcome.error
    const timedOut = cause instanceof RefreshTimeoutError
    const fatal = !timedOut && deps.classify(cause) === 'fatal'
    // Cookie mode: nothing tells the refresh's own call apart, so a held one can only be named when the wait times out.
    const error = timedOut && current.refreshToken === undefined && deps.heldRequests() > 0 ? selfWaitError(deps.refreshTimeoutMs, deps.heldRequests(), cause) : new RefreshFailedError(current.attempt, timedOut ? cause.message : describe(cause), cause)
    deps.dispatch({ type: 'refreshFailed', attempt: current.attempt, fatal, error, cause, usable: !deps.isExpired(), at })
  }

  const callRefresh = (controller: AbortController, refreshToken: string | undefined, startedGeneration: number): Promise<Tokens> => {
    let pending: Promise<Tokens>
    isCalling = true
    try {
      pending = Promise.resolve(deps.refresh({ refreshToken, signal: controller.signal })) as Promise<Tokens>
    } catch (error) {
      pending = Promise.reject(error)
    } finally {
      isCalling = false
    }
    const bounded = timebox(pending, deps.refreshTimeoutMs, deps.clock, controller)
    bounded.catch((error: unknown) => {
      if (error instanceof RefreshTimeoutError) pending.then((late) => keepLateTokens(late, startedGeneration), () => {})
    })
    return bounded
  }

  /**
   * A refresh that answers after its timeout has still rotated the refresh token on the server:
   * dropping its tokens would make the next refresh present a spent one. They are kept when
   * nothing newer happened meanwhile (new tokens, a sign-out): the reducer checks the generation.
   */
  const keepLateTokens = (late: unknown, startedGeneration: number) => {
    try {
      deps.dispatch({ type: 'tokensReceived', credential: deps.issued(late), from: 'lateRefresh', generation: startedGeneration })
    } catch {
      // Not tokens: nothing to keep.
    }
  }

  /**
   * Runs under the cross-tab lock. Another tab may have refreshed while this one waited: the
   * shared state is read first, so a rotated refresh token is never presented twice.
   */
  const refreshInTurn = async (current: Flight, startedWith: string | undefined, startedGeneration: number) => {
    current.controller.signal.throwIfAborted()
    const latest = await deps.persistence.reread()
    if (latest && latest.accessToken !== startedWith) return latest
    let result: Tokens
    try {
      result = await callRefresh(current.controller, latest?.refreshToken ?? current.refreshToken, startedGeneration)
    } catch (error) {
      await announceSignIn(error, current)
      throw error
    }
    await publishInTurn(result, current)
    return result
  }

  /** Lets a message just posted reach the other tabs before this one releases the lock. */
  const channelGrace = () => new Promise<void>((resolve) => deps.clock.setTimeout(resolve, CHANNEL_GRACE_MS))

  /**
   * A refused refresh token is refused in every tab: the next tab to take the lock must learn
   * that this one opens a sign-in before it presents the same token and opens its own.
   */
  const announceSignIn = async (error: unknown, current: Flight) => {
    if (!deps.reauthenticates || flight !== current || error instanceof RefreshTimeoutError || deps.classify(error) !== 'fatal') return
    deps.tabs?.channel.post({ type: 'signing-in', reason: 'refresh-rejected' })
    await channelGrace()
  }

  /**
   * Makes new tokens visible to the other tabs before the lock is released: the next holder
   * re-reads the shared state first thing, and must find them there. Nothing is published for a
   * flight this tab abandoned (a sign-out, a login): that would undo them in every tab. After
   * `dispose()` the rotated tokens are still saved, since the other tabs need the new refresh token.
   */
  const publishInTurn = async (result: Tokens, current: Flight) => {
    const abandoned = flight !== current && deps.state().status !== 'disposed'
    if (abandoned) return
    let next: Tokens
    try {
      next = normalizeTokens(result, deps.serverClock.now(), 'refresh')
    } catch {
      return
    }
    deps.persistence.save(next)
    if (deps.state().status === 'disposed') return
    deps.tabs?.channel.post({ type: 'tokens', tokens: next })
    if (!deps.persistence.sharedAcrossTabs) await channelGrace()
  }


  return {
    /** The flight in progress, if any. */
    get current() {
      return flight
    },
    /** True only while the refresh function itself is being called (its synchronous part). */
    get isCalling() {
      return isCalling
    },
    start,
    settle,
    handOver,
  }
}

function describe(error: unknown): string {
  const status = (error as { response?: { status?: unknown } } | undefined)?.response?.status
  return typeof status === 'number' ? `the token endpoint answered ${status}` : toError(error).message
}
