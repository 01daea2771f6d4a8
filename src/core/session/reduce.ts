import type { LoginRequiredReason } from '../errors'
import { backoffDelay, credentialOf, isBusy, type Credential, type Effect, type Failure, type Login, type Origin, type SessionEvent, type SessionRules, type SessionState, type Transition } from './state'

const stay = (state: SessionState): Transition => ({ state, effects: [] })

const noRules: SessionRules = { reauthenticate: false }

/** Tokens, a refresh or a sign-in: something another tab or the app can sign out of. */
const hasSession = (state: SessionState) => credentialOf(state) !== undefined || state.status === 'refreshing' || state.status === 'reauthenticating'

/** New tokens are in place: the generation grows, as with every replacement. */
const authenticatedWith = (state: SessionState, credential: Credential): SessionState => ({ status: 'authenticated', generation: state.generation + 1, attempt: state.attempt, credential })

/** The answer (`attempt`) is for the refresh or sign-in under way, not a superseded one. */
const answersCurrent = <Status extends 'refreshing' | 'reauthenticating'>(state: SessionState, status: Status, attempt: number): state is Extract<SessionState, { status: Status }> =>
  state.status === status && attempt === state.attempt

/**
 * The session ends: tokens gone, held requests rejected, the app told once. Events come in one
 * order for every end: `refresh:failure` (when a refresh was in flight), `tokens`,
 * `loginRequired`, then `status`. Another tab is told only when this tab had a session to end:
 * a tab that never signed in has nothing to sign its siblings out of.
 */
function end(state: SessionState, reason: LoginRequiredReason, cause: unknown, from: Origin | 'session', rules: SessionRules): Transition {
  const credential = credentialOf(state)
  const hadSession = hasSession(state)
  // Opt-in: a session that would end asks the user to sign in again, and requests wait for it.
  if (rules.reauthenticate && from === 'session' && hadSession && state.status !== 'reauthenticating') return openLogin(state, { where: 'here', reason, cause })
  const failure = { kind: 'ended', reason, cause } as const
  const effects: Effect[] = []
  if (state.status === 'refreshing') effects.push({ type: 'settleFlight', failure }, { type: 'emitRefreshFailure', attempt: state.attempt, failure })
  if (state.status === 'reauthenticating') effects.push({ type: 'settleLogin', failure })
  // An app's sign-out clears storage even with nothing in memory (tokens may still be loading).
  if (credential || from === 'app') effects.push({ type: 'persist', tokens: undefined, from: from === 'tab' ? 'tab' : undefined })
  effects.push({ type: 'rejectHeld', failure })
  if (credential) effects.push({ type: 'emitTokens', tokens: undefined })
  if (from === 'app' || (from === 'session' && hadSession)) effects.push({ type: 'broadcast', message: { type: 'signed-out', reason } })
  // The app signing out knows, but a request that then needs a login still tells it, once.
  const told = state.status === 'unauthenticated' && state.ended?.notified === true
  const notify = from !== 'app' && !told
  if (notify) effects.push({ type: 'loginRequired', failure })
  return {
    state: { status: 'unauthenticated', generation: state.generation + 1, attempt: state.attempt, ended: { reason, notified: told || notify } },
    effects,
  }
}

function receive(state: SessionState, credential: Credential, from: Origin | 'lateRefresh'): Transition {
  const { tokens } = credential
  const effects: Effect[] = []
  if (state.status === 'refreshing') effects.push({ type: 'settleFlight', tokens })
  if (state.status === 'reauthenticating') effects.push({ type: 'settleLogin', tokens })
  effects.push({ type: 'persist', tokens, from })
  if (from !== 'tab') effects.push({ type: 'broadcast', message: { type: 'tokens', tokens } })
  effects.push({ type: 'emitTokens', tokens }, { type: 'release' })
  if (state.status === 'refreshing') effects.push({ type: 'emitRefreshSuccess', attempt: state.attempt, superseded: true })
  return { state: authenticatedWith(state, credential), effects }
}

/**
 * The session waits for a sign-in instead of ending: the tokens are gone (they no longer work),
 * requests are held, and the other tabs are told, so that they wait too rather than each
 * opening its own dialog. A refresh in flight hands its waiters over to the sign-in.
 */
function openLogin(state: SessionState, login: Login): Transition {
  const credential = credentialOf(state)
  const attempt = state.attempt + 1
  const effects: Effect[] = [{ type: 'hold' }]
  if (credential) effects.push({ type: 'persist', tokens: undefined, from: login.where === 'tab' ? 'tab' : undefined }, { type: 'emitTokens', tokens: undefined })
  if (login.where === 'here') effects.push({ type: 'broadcast', message: { type: 'signing-in', reason: login.reason } })
  effects.push({ type: 'openLogin', attempt, login })
  return { state: { status: 'reauthenticating', generation: state.generation + 1, attempt, login }, effects }
}

/**
 * The session's transition table: the next state and the effects, for every state and event.
 * Pure: no clock (times travel in the events), no I/O, no errors made (effects say which).
 *
 * @param state - Where the session stands.
 * @param event - What just happened.
 * @param rules - What the options decide (`reauthenticate` given or not).
 * @returns The next state (the same object when nothing changed) and the effects, in order.
 * @example
 * ```ts
 * const { state, effects } = reduce(initialState, { type: 'refreshRequested', withoutToken: true })
 * // state.status === 'refreshing'; effects: hold, emitRefreshStart, callRefresh
 * ```
 */
export function reduce(state: SessionState, event: SessionEvent, rules: SessionRules = noRules): Transition {
  if (state.status === 'disposed') return stay(state)
  const credential = credentialOf(state)
  switch (event.type) {
    case 'restoreStarted':
      return state.status === 'unauthenticated' && !state.ended ? { state: { ...state, status: 'restoring' }, effects: [{ type: 'hold' }] } : stay(state)

    case 'restored':
      // Tokens or a sign-out that came meanwhile win over what storage (or a tab) had.
      if (state.status !== 'restoring') return stay(state)
      return event.credential
        ? { state: authenticatedWith(state, event.credential), effects: [{ type: 'emitTokens', tokens: event.credential.tokens }, { type: 'release' }] }
        : { state: { ...state, status: 'unauthenticated' }, effects: [{ type: 'release' }] }

    case 'tokensReceived':
      if (event.from === 'tab' && credential?.tokens.accessToken === event.credential.tokens.accessToken) return stay(state)
      // A refresh that answered after its timeout: kept only while nothing newer happened.
      if (event.from === 'lateRefresh' && event.generation !== state.generation) return stay(state)
      return receive(state, event.credential, event.from)

    case 'signedOut':
      // Another tab's sign-out ends only a session this tab has; the app's always clears storage.
      return event.from === 'app' || hasSession(state) ? end(state, event.reason, undefined, event.from, rules) : stay(state)

    case 'refreshRequested': {
      if (isBusy(state)) return stay(state)
      const refreshToken = credential?.tokens.refreshToken
      if (!refreshToken && !event.withoutToken) {
        // Nothing to refresh with. A visitor who never signed in has no session to end; one whose session ended keeps its reason.
        const ended = state.status === 'unauthenticated' ? state.ended : undefined
        return end(state, credential ? 'no-refresh-token' : (ended?.reason ?? 'no-session'), undefined, 'session', rules)
      }
      const attempt = state.attempt + 1
      // Not busy, so authenticated or signed out: only the former has a back-off to carry.
      const backoff = state.status === 'authenticated' ? state.backoff : undefined
      return {
        state: { status: 'refreshing', generation: state.generation, attempt, credential, backoff },
        effects: [{ type: 'hold' }, { type: 'emitRefreshStart', attempt }, { type: 'callRefresh', attempt, refreshToken }],
      }
    }

    case 'unauthorized':
      if (!credential || credential.refused || event.sentGeneration !== state.generation) return stay(state)
      return { state: { ...state, credential: { ...credential, refused: true } } as SessionState, effects: [] }

    case 'replayRefused':
      return credential && event.sentGeneration === state.generation ? end(state, 'token-revoked', event.cause, 'session', rules) : stay(state)

    case 'refreshSucceeded': {
      if (!answersCurrent(state, 'refreshing', event.attempt)) return stay(state)
      const { tokens } = event.credential
      return {
        state: authenticatedWith(state, event.credential),
        effects: [{ type: 'persist', tokens }, { type: 'emitTokens', tokens }, { type: 'release' }, { type: 'emitRefreshSuccess', attempt: event.attempt }, { type: 'settleFlight', tokens }],
      }
    }

    case 'refreshFailed': {
      if (!answersCurrent(state, 'refreshing', event.attempt)) return stay(state)
      if (event.fatal) return end(state, 'refresh-rejected', event.cause, 'session', rules)
      const failure: Failure = { kind: 'given', error: event.error }
      const failures = (state.backoff?.failures ?? 0) + 1
      const backoff = { failures, until: event.at + backoffDelay(failures) }
      // A token the server has not refused and that has not expired still works: held requests use it.
      const usable = credential !== undefined && !credential.refused && event.usable
      const next: SessionState = credential
        ? { ...state, status: 'authenticated', credential, backoff }
        : { status: 'unauthenticated', generation: state.generation, attempt: state.attempt }
      return {
        state: next,
        effects: [usable ? { type: 'release' } : { type: 'rejectHeld', failure }, { type: 'emitRefreshFailure', attempt: event.attempt, failure }, { type: 'settleFlight', failure }],
      }
    }

    case 'disposed': {
      const failure: Failure = { kind: 'given', error: event.error }
      const effects: Effect[] = state.status === 'refreshing' ? [{ type: 'settleFlight', failure }] : state.status === 'reauthenticating' ? [{ type: 'settleLogin', failure }] : []
      effects.push({ type: 'rejectHeld', failure })
      return { state: { status: 'disposed', generation: state.generation + 1, attempt: state.attempt, credential }, effects }
    }

    case 'loginOpened':
      // Another tab asks its user to sign in: wait for that, rather than refresh with what it found dead.
      if (!rules.reauthenticate) return stay(state)
      if (state.status === 'authenticated' || state.status === 'refreshing' || (state.status === 'unauthenticated' && !state.ended)) return openLogin(state, { where: 'tab', reason: event.reason, cause: undefined })
      return stay(state)

    case 'reauthenticated':
      return answersCurrent(state, 'reauthenticating', event.attempt) ? receive(state, event.credential, 'app') : stay(state)

    case 'reauthenticationFailed':
      if (!answersCurrent(state, 'reauthenticating', event.attempt)) return stay(state)
      // The sign-in tab tells the others it is over; a tab that only waited ends alone.
      return end(state, state.login.reason, event.cause, state.login.where === 'here' ? 'session' : 'tab', rules)
  }
}
