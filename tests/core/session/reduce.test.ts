import { describe, expect, it } from 'vitest'
import { ReauthError } from '../../../src/core/errors'
import { reduce } from '../../../src/core/session/reduce'
import { initialState, type Credential, type SessionEvent, type SessionRules, type SessionState } from '../../../src/core/session/state'

const credential = (accessToken: string, refreshToken: string | null = `${accessToken}-refresh`): Credential => ({
  tokens: refreshToken ? { accessToken, refreshToken } : { accessToken },
  claims: undefined,
  expiresAt: undefined,
  refreshAt: undefined,
  refreshClock: 'server',
  dueStreak: 0,
  refused: false,
})

const A = credential('a')
const B = credential('b')
const failure = new ReauthError('refresh-failed', 'x')

const restoring: SessionState = { status: 'restoring', generation: 0, attempt: 0 }
const signedIn: SessionState = { status: 'authenticated', generation: 1, attempt: 0, credential: A }
const noRefreshToken: SessionState = { status: 'authenticated', generation: 1, attempt: 0, credential: credential('a', null) }
const refreshing: SessionState = { status: 'refreshing', generation: 1, attempt: 1, credential: A }
const cookieRefreshing: SessionState = { status: 'refreshing', generation: 0, attempt: 1 }
const ended: SessionState = { status: 'unauthenticated', generation: 2, attempt: 1, ended: { reason: 'refresh-rejected', notified: true } }
const disposed: SessionState = { status: 'disposed', generation: 2, attempt: 1 }

const refreshFailed = (fatal: boolean, usable = true, attempt = 1): SessionEvent => ({ type: 'refreshFailed', attempt, fatal, error: failure, cause: failure, usable, at: 1_000 })

/** Each row: a state, an event, the status it leads to, and the effects in order. */
const table: Array<[string, SessionState, SessionEvent, SessionState['status'], string[]]> = [
  // restoring
  ['a restore starts: requests wait', initialState, { type: 'restoreStarted' }, 'restoring', ['hold']],
  ['a restore brings tokens', restoring, { type: 'restored', credential: A }, 'authenticated', ['emitTokens', 'release']],
  ['a restore finds nothing', restoring, { type: 'restored', credential: undefined }, 'unauthenticated', ['release']],
  ['a restore answering after a sign-out changes nothing', ended, { type: 'restored', credential: A }, 'unauthenticated', []],
  ['a refresh asked for while restoring waits for the restore', restoring, { type: 'refreshRequested', withoutToken: false }, 'restoring', []],
  ['a login while restoring wins over the restore', restoring, { type: 'tokensReceived', credential: A, from: 'app' }, 'authenticated', ['persist', 'broadcast', 'emitTokens', 'release']],
  ['an app sign-out while restoring clears storage', restoring, { type: 'signedOut', from: 'app', reason: 'signed-out' }, 'unauthenticated', ['persist', 'rejectHeld', 'broadcast']],
  // refreshing
  ['a refresh starts', signedIn, { type: 'refreshRequested', withoutToken: false }, 'refreshing', ['hold', 'emitRefreshStart', 'callRefresh']],
  ['a second request joins the refresh', refreshing, { type: 'refreshRequested', withoutToken: false }, 'refreshing', []],
  ['a cookie-mode refresh starts without tokens', initialState, { type: 'refreshRequested', withoutToken: true }, 'refreshing', ['hold', 'emitRefreshStart', 'callRefresh']],
  ['the refresh succeeds', refreshing, { type: 'refreshSucceeded', attempt: 1, credential: B }, 'authenticated', ['persist', 'emitTokens', 'release', 'emitRefreshSuccess', 'settleFlight']],
  ['an answer for another attempt is dropped', refreshing, { type: 'refreshSucceeded', attempt: 0, credential: B }, 'refreshing', []],
  ['an answer after a sign-out is dropped (cookie mode too)', ended, { type: 'refreshSucceeded', attempt: 1, credential: B }, 'unauthenticated', []],
  ['a fatal failure ends the session', refreshing, refreshFailed(true), 'unauthenticated', ['settleFlight', 'emitRefreshFailure', 'persist', 'rejectHeld', 'emitTokens', 'broadcast', 'loginRequired']],
  ['a transient failure with a usable token releases the held requests', refreshing, refreshFailed(false), 'authenticated', ['release', 'emitRefreshFailure', 'settleFlight']],
  ['a transient failure with an expired token rejects them', refreshing, refreshFailed(false, false), 'authenticated', ['rejectHeld', 'emitRefreshFailure', 'settleFlight']],
  ['a transient cookie-mode failure leaves no session', cookieRefreshing, refreshFailed(false), 'unauthenticated', ['rejectHeld', 'emitRefreshFailure', 'settleFlight']],
  ['a login during the refresh supersedes it', refreshing, { type: 'tokensReceived', credential: B, from: 'app' }, 'authenticated', ['settleFlight', 'persist', 'broadcast', 'emitTokens', 'release', 'emitRefreshSuccess']],
  ["another tab's tokens supersede it, without echo", refreshing, { type: 'tokensReceived', credential: B, from: 'tab' }, 'authenticated', ['settleFlight', 'persist', 'emitTokens', 'release', 'emitRefreshSuccess']],
  ['an app sign-out during the refresh ends it', refreshing, { type: 'signedOut', from: 'app', reason: 'signed-out' }, 'unauthenticated', ['settleFlight', 'emitRefreshFailure', 'persist', 'rejectHeld', 'emitTokens', 'broadcast']],
  ["another tab's sign-out during the refresh ends it, told once", refreshing, { type: 'signedOut', from: 'tab', reason: 'signed-out' }, 'unauthenticated', ['settleFlight', 'emitRefreshFailure', 'persist', 'rejectHeld', 'emitTokens', 'loginRequired']],
  ['a replay refused during a refresh ends the session in the same order', refreshing, { type: 'replayRefused', sentGeneration: 1, cause: failure }, 'unauthenticated', ['settleFlight', 'emitRefreshFailure', 'persist', 'rejectHeld', 'emitTokens', 'broadcast', 'loginRequired']],
  // authenticated
  ['a first 401 marks the token refused', signedIn, { type: 'unauthorized', sentGeneration: 1 }, 'authenticated', []],
  ['a 401 for an older token changes nothing', signedIn, { type: 'unauthorized', sentGeneration: 0 }, 'authenticated', []],
  ['a replay refused for an older token changes nothing', signedIn, { type: 'replayRefused', sentGeneration: 0, cause: failure }, 'authenticated', []],
  ['nothing to refresh with ends the session', noRefreshToken, { type: 'refreshRequested', withoutToken: false }, 'unauthenticated', ['persist', 'rejectHeld', 'emitTokens', 'broadcast', 'loginRequired']],
  ['the same tokens from another tab change nothing', signedIn, { type: 'tokensReceived', credential: A, from: 'tab' }, 'authenticated', []],
  ['a late refresh answer is kept while nothing newer came', signedIn, { type: 'tokensReceived', credential: B, from: 'lateRefresh', generation: 1 }, 'authenticated', ['persist', 'broadcast', 'emitTokens', 'release']],
  ['a late refresh answer after newer tokens is dropped', signedIn, { type: 'tokensReceived', credential: B, from: 'lateRefresh', generation: 0 }, 'authenticated', []],
  // unauthenticated
  ['a visitor who never signed in ends with no-session, telling no tab', initialState, { type: 'refreshRequested', withoutToken: false }, 'unauthenticated', ['rejectHeld', 'loginRequired']],
  ['an ended session is told once', ended, { type: 'refreshRequested', withoutToken: false }, 'unauthenticated', ['rejectHeld']],
  ["another tab's sign-out with nothing here changes nothing", initialState, { type: 'signedOut', from: 'tab', reason: 'signed-out' }, 'unauthenticated', []],
  ['a late refresh answer after a sign-out is dropped', ended, { type: 'tokensReceived', credential: B, from: 'lateRefresh', generation: 1 }, 'unauthenticated', []],
  ['a login after the end signs in again', ended, { type: 'tokensReceived', credential: B, from: 'app' }, 'authenticated', ['persist', 'broadcast', 'emitTokens', 'release']],
  // disposed
  ['dispose during a refresh rejects the flight and the held requests', refreshing, { type: 'disposed', error: failure }, 'disposed', ['settleFlight', 'rejectHeld']],
  ['nothing moves a disposed session', disposed, { type: 'tokensReceived', credential: B, from: 'app' }, 'disposed', []],
]

const relogin: SessionRules = { reauthenticate: true }
const signingIn: SessionState = { status: 'reauthenticating', generation: 2, attempt: 2, login: { where: 'here', reason: 'refresh-rejected', cause: failure } }
const waitingForTab: SessionState = { status: 'reauthenticating', generation: 2, attempt: 2, login: { where: 'tab', reason: 'refresh-rejected', cause: undefined } }

/** The same, with `reauthenticate` given: a session that would end waits for a sign-in instead. */
const reloginTable: Array<[string, SessionState, SessionEvent, SessionState['status'], string[]]> = [
  ['a rejected refresh opens the sign-in, holding requests and telling the tabs', refreshing, refreshFailed(true), 'reauthenticating', ['hold', 'persist', 'emitTokens', 'broadcast', 'openLogin']],
  ['nothing to refresh with opens the sign-in', noRefreshToken, { type: 'refreshRequested', withoutToken: false }, 'reauthenticating', ['hold', 'persist', 'emitTokens', 'broadcast', 'openLogin']],
  ['a refused replay opens the sign-in', signedIn, { type: 'replayRefused', sentGeneration: 1, cause: failure }, 'reauthenticating', ['hold', 'persist', 'emitTokens', 'broadcast', 'openLogin']],
  ['a cookie-mode refresh rejected opens the sign-in', cookieRefreshing, refreshFailed(true), 'reauthenticating', ['hold', 'broadcast', 'openLogin']],
  ['a visitor who never signed in still ends with no-session', initialState, { type: 'refreshRequested', withoutToken: false }, 'unauthenticated', ['rejectHeld', 'loginRequired']],
  ['an app sign-out still ends the session at once', signedIn, { type: 'signedOut', from: 'app', reason: 'signed-out' }, 'unauthenticated', ['persist', 'rejectHeld', 'emitTokens', 'broadcast']],
  ['a transient failure still keeps the session', refreshing, refreshFailed(false), 'authenticated', ['release', 'emitRefreshFailure', 'settleFlight']],
  // while the sign-in is pending
  ['a refresh asked for during the sign-in waits for it', signingIn, { type: 'refreshRequested', withoutToken: false }, 'reauthenticating', []],
  ['a 401 storm during the sign-in opens nothing more', signingIn, { type: 'unauthorized', sentGeneration: 1 }, 'reauthenticating', []],
  ['a replay refused during the sign-in opens nothing more', signingIn, { type: 'replayRefused', sentGeneration: 1, cause: failure }, 'reauthenticating', []],
  ['the sign-in gives tokens: replayed, and every tab gets them', signingIn, { type: 'reauthenticated', attempt: 2, credential: B }, 'authenticated', ['settleLogin', 'persist', 'broadcast', 'emitTokens', 'release']],
  ['an answer of an older sign-in is dropped', signingIn, { type: 'reauthenticated', attempt: 1, credential: B }, 'reauthenticating', []],
  ['a late refresh answer during the sign-in is dropped', signingIn, refreshFailed(false, true, 1), 'reauthenticating', []],
  ['a cancelled sign-in ends the session, everywhere, told once', signingIn, { type: 'reauthenticationFailed', attempt: 2, cause: failure }, 'unauthenticated', ['settleLogin', 'rejectHeld', 'broadcast', 'loginRequired']],
  ['setTokens during the sign-in ends it with those tokens', signingIn, { type: 'tokensReceived', credential: B, from: 'app' }, 'authenticated', ['settleLogin', 'persist', 'broadcast', 'emitTokens', 'release']],
  ['clearTokens during the sign-in ends it, without telling the app', signingIn, { type: 'signedOut', from: 'app', reason: 'signed-out' }, 'unauthenticated', ['settleLogin', 'persist', 'rejectHeld', 'broadcast']],
  ['dispose during the sign-in rejects it and the held requests', signingIn, { type: 'disposed', error: failure }, 'disposed', ['settleLogin', 'rejectHeld']],
  ['another tab opening its sign-in during ours changes nothing', signingIn, { type: 'loginOpened', reason: 'refresh-rejected' }, 'reauthenticating', []],
  // another tab signs in
  ["another tab's sign-in holds this tab's requests, without a dialog or an echo", signedIn, { type: 'loginOpened', reason: 'refresh-rejected' }, 'reauthenticating', ['hold', 'persist', 'emitTokens', 'openLogin']],
  ["another tab's sign-in takes over this tab's refresh", refreshing, { type: 'loginOpened', reason: 'refresh-rejected' }, 'reauthenticating', ['hold', 'persist', 'emitTokens', 'openLogin']],
  ["another tab's sign-in after this one ended changes nothing", ended, { type: 'loginOpened', reason: 'refresh-rejected' }, 'unauthenticated', []],
  ["the sign-in tab's tokens release this tab's requests", waitingForTab, { type: 'tokensReceived', credential: B, from: 'tab' }, 'authenticated', ['settleLogin', 'persist', 'emitTokens', 'release']],
  ["the sign-in tab's sign-out ends it here too, told once", waitingForTab, { type: 'signedOut', from: 'tab', reason: 'refresh-rejected' }, 'unauthenticated', ['settleLogin', 'rejectHeld', 'loginRequired']],
  ['waiting for another tab past the bound ends it here alone', waitingForTab, { type: 'reauthenticationFailed', attempt: 2, cause: failure }, 'unauthenticated', ['settleLogin', 'rejectHeld', 'loginRequired']],
]

describe('the session transition table', () => {
  it.each(table)('%s', (_, state, event, status, effects) => {
    const transition = reduce(state, event)
    expect(transition.state.status).toBe(status)
    expect(transition.effects.map((effect) => effect.type)).toEqual(effects)
  })

  it.each(reloginTable)('with reauthenticate: %s', (_, state, event, status, effects) => {
    const transition = reduce(state, event, relogin)
    expect(transition.state.status).toBe(status)
    expect(transition.effects.map((effect) => effect.type)).toEqual(effects)
  })

  it('ignores another tab opening its sign-in without reauthenticate', () => {
    expect(reduce(signedIn, { type: 'loginOpened', reason: 'refresh-rejected' }).state).toBe(signedIn)
  })

  it('ends a cancelled sign-in with the reason that opened it, the cancel as cause', () => {
    const opened = reduce(refreshing, refreshFailed(true), relogin)
    expect(opened.state).toMatchObject({ status: 'reauthenticating', generation: 2, attempt: 2, login: { where: 'here', reason: 'refresh-rejected' } })
    expect(opened.effects.find((effect) => effect.type === 'broadcast')).toMatchObject({ message: { type: 'signing-in', reason: 'refresh-rejected' } })
    const cancel = new Error('dialog closed')
    const cancelled = reduce(opened.state, { type: 'reauthenticationFailed', attempt: 2, cause: cancel }, relogin)
    expect(cancelled.state).toMatchObject({ status: 'unauthenticated', generation: 3, ended: { reason: 'refresh-rejected', notified: true } })
    expect(cancelled.effects.find((effect) => effect.type === 'loginRequired')).toMatchObject({ failure: { kind: 'ended', reason: 'refresh-rejected', cause: cancel } })
    expect(cancelled.effects.find((effect) => effect.type === 'broadcast')).toMatchObject({ message: { type: 'signed-out', reason: 'refresh-rejected' } })
  })

  it('returns the very same state when nothing changes', () => {
    expect(reduce(refreshing, { type: 'refreshRequested', withoutToken: false }).state).toBe(refreshing)
    expect(reduce(disposed, { type: 'signedOut', from: 'app', reason: 'signed-out' }).state).toBe(disposed)
  })

  it('counts a generation for every change of tokens and every end, and an attempt for every refresh', () => {
    expect(reduce(signedIn, { type: 'tokensReceived', credential: B, from: 'app' }).state).toMatchObject({ generation: 2, attempt: 0 })
    expect(reduce(signedIn, { type: 'refreshRequested', withoutToken: false }).state).toMatchObject({ generation: 1, attempt: 1 })
    expect(reduce(refreshing, { type: 'signedOut', from: 'app', reason: 'signed-out' }).state).toMatchObject({ generation: 2, attempt: 1 })
    expect(reduce(initialState, { type: 'refreshRequested', withoutToken: false }).state).toMatchObject({ generation: 1 })
  })

  it('keeps the refused mark on the credential until new tokens arrive', () => {
    const refused = reduce(signedIn, { type: 'unauthorized', sentGeneration: 1 }).state
    expect(refused).toMatchObject({ credential: { refused: true } })
    expect(reduce(refused, { type: 'unauthorized', sentGeneration: 1 }).state).toBe(refused)
    // A refused token is no fallback: a transient failure rejects what waits on it.
    const during = reduce(refused, { type: 'refreshRequested', withoutToken: false }).state
    expect(reduce(during, refreshFailed(false, true)).effects[0]?.type).toBe('rejectHeld')
  })

  it('backs off after each transient failure: 1 s, 2 s, 4 s', () => {
    let state: SessionState = refreshing
    const untils: number[] = []
    for (let attempt = 1; attempt <= 3; attempt++) {
      state = reduce(state, refreshFailed(false, true, state.attempt)).state
      untils.push(state.status === 'authenticated' ? (state.backoff?.until ?? 0) : 0)
      state = reduce(state, { type: 'refreshRequested', withoutToken: false }).state
    }
    expect(untils).toEqual([2_000, 3_000, 5_000])
  })

  it('says which reason ended the session and whether the app was told', () => {
    expect(reduce(refreshing, refreshFailed(true)).state).toMatchObject({ ended: { reason: 'refresh-rejected', notified: true } })
    expect(reduce(refreshing, { type: 'signedOut', from: 'app', reason: 'signed-out' }).state).toMatchObject({ ended: { reason: 'signed-out', notified: false } })
    const afterSignOut = reduce(signedIn, { type: 'signedOut', from: 'app', reason: 'signed-out' }).state
    expect(reduce(afterSignOut, { type: 'refreshRequested', withoutToken: false }).effects.map((effect) => effect.type)).toContain('loginRequired')
    expect(reduce(initialState, { type: 'refreshRequested', withoutToken: false }).state).toMatchObject({ ended: { reason: 'no-session' } })
    const effect = reduce(initialState, { type: 'refreshRequested', withoutToken: false }).effects.find((each) => each.type === 'loginRequired')
    expect(effect).toMatchObject({ failure: { kind: 'ended', reason: 'no-session' } })
  })
})
