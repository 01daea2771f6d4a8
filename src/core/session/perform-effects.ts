import type { TabCoordinator } from '../tabs/coordinator'
import { LoginRequiredError, type ReauthError } from '../errors'
import type { Listeners } from '../support/listeners'
import type { RequestQueue } from '../hold/hold-queue'
import type { TokenPersistence } from '../tokens/persistence'
import type { Deferred } from '../support/deferred'
import type { LoginRequiredEvent, SessionEvents, Tokens } from '../types'
import type { Effect, Failure, Login } from './state'

/** What the effects act on. */
export interface EffectDeps {
  readonly queue: RequestQueue
  readonly persistence: TokenPersistence
  readonly tabs: TabCoordinator | undefined
  readonly listeners: Listeners<SessionEvents>
  readonly flight: { start(attempt: number, refreshToken: string | undefined): void; settle(tokens: Tokens | undefined, error: ReauthError | undefined): void; handOver(): Deferred<Tokens> | undefined }
  readonly login: { open(attempt: number, login: Login, carried: Deferred<Tokens> | undefined): void; settle(tokens: Tokens | undefined, error: ReauthError | undefined): void }
  readonly onLoginRequired: ((event: LoginRequiredEvent) => void) | undefined
}

/**
 * Performs the effects of a transition, in order. The errors a transition's effects share
 * (the one `LoginRequiredError` of an end) are made here, once, so that every held request, the
 * refresh's callers and the app see the very same error.
 * @example
 * ```ts
 * const effects = createEffectPerformer(deps)
 * effects.perform(reduce(state, event).effects)
 * ```
 */
export function createEffectPerformer(deps: EffectDeps) {
  // The error the latest end of the session rejected with: what later callers get too.
  let endedError: LoginRequiredError | undefined

  const perform = (effects: readonly Effect[]) => {
    // One error per failure of a transition: every held request, the flight and the app see the same.
    const made = new Map<Failure, ReauthError>()
    const errorOf = (failure: Failure): ReauthError => {
      if (failure.kind === 'given') return failure.error
      let error = made.get(failure) as LoginRequiredError | undefined
      if (!error) made.set(failure, (error = endedError = new LoginRequiredError(failure.reason, failure.cause)))
      return error
    }
    for (const effect of effects) {
      switch (effect.type) {
        case 'hold':
          deps.queue.pause()
          break
        case 'release':
          deps.queue.release()
          break
        case 'rejectHeld':
          deps.queue.rejectAll(errorOf(effect.failure))
          break
        case 'callRefresh':
          deps.flight.start(effect.attempt, effect.refreshToken)
          break
        case 'settleFlight':
          deps.flight.settle(effect.tokens, effect.failure && errorOf(effect.failure))
          break
        case 'persist':
          // Another tab's tokens or sign-out are in shared storage already.
          if (effect.from !== 'tab' || !deps.persistence.sharedAcrossTabs) deps.persistence.save(effect.tokens)
          break
        case 'broadcast':
          deps.tabs?.channel.post(effect.message)
          break
        case 'emitTokens':
          deps.listeners.emit('tokens', effect.tokens)
          break
        case 'emitRefreshStart':
          deps.listeners.emit('refresh:start', { attempt: effect.attempt })
          break
        case 'emitRefreshSuccess':
          deps.listeners.emit('refresh:success', effect.superseded ? { attempt: effect.attempt, superseded: true } : { attempt: effect.attempt })
          break
        case 'emitRefreshFailure':
          deps.listeners.emit('refresh:failure', { attempt: effect.attempt, error: errorOf(effect.failure) })
          break
        case 'loginRequired':
          tellLoginRequired(errorOf(effect.failure) as LoginRequiredError)
          break
        case 'openLogin':
          deps.login.open(effect.attempt, effect.login, deps.flight.handOver())
          break
        case 'settleLogin':
          deps.login.settle(effect.tokens, effect.failure && errorOf(effect.failure))
          break
      }
    }
  }

  const tellLoginRequired = (error: LoginRequiredError) => {
    const event = { reason: error.reason, error }
    deps.listeners.emit('loginRequired', event)
    try {
      deps.onLoginRequired?.(event)
    } catch (callbackError) {
      // The app's redirect failing must not leave the session half-ended.
      queueMicrotask(() => {
        throw callbackError
      })
    }
  }


  return {
    perform,
    get endedError() {
      return endedError
    },
  }
}
