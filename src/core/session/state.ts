import type { LoginRequiredReason, ReauthError } from '../errors'
import type { JwtClaims } from '../tokens/jwt'
import type { TabMessage } from '../tabs/channel'
import type { Tokens } from '../types'

/** Tokens as the session holds them: normalized once, when they arrive. */
export interface Credential {
  readonly tokens: Tokens
  readonly claims: JwtClaims | undefined
  /** When the access token expires, in server time; `undefined` when unknown (opaque, no `expiresIn`). */
  readonly expiresAt: number | undefined
  /**
   * How long the access token lives, in ms: `exp - iat` of a JWT, else what was left of it when
   * it arrived; `undefined` when its expiry is unknown. What `isExpiring` is measured against.
   */
  readonly lifetimeMs?: number
  /** When to refresh ahead of expiry, read on `refreshClock`; `undefined` never. */
  readonly refreshAt: number | undefined
  /** `device` when the server's clock disagreed with this just-issued token and is not trusted for it. */
  readonly refreshClock: 'server' | 'device'
  /** How many refreshes in a row gave a token that was due the moment it arrived (backs off). */
  readonly dueStreak: number
  /** The server answered 401 to this token: a failed refresh cannot fall back on it. */
  readonly refused: boolean
}

/** After refreshes ahead of expiry fail transiently, the next waits until `until` (device time). */
export interface Backoff {
  readonly failures: number
  readonly until: number
}

/**
 * A sign-in the session waits for instead of ending: `here` runs the app's `reauthenticate`,
 * `tab` waits for another tab's. `reason` and `cause` are what would have ended the session,
 * and what ends it if the sign-in does not come.
 */
export interface Login {
  readonly where: 'here' | 'tab'
  readonly reason: LoginRequiredReason
  readonly cause: unknown
}

/** How a session ended, and whether the app was told (`onLoginRequired`) for this end. */
export interface Ended {
  readonly reason: LoginRequiredReason
  readonly notified: boolean
}

interface Counters {
  /** Grows by one whenever the tokens are replaced or the session ends: what a request was sent with. */
  readonly generation: number
  /** How many refreshes were started; an answer for any but the one in flight is dropped. */
  readonly attempt: number
}

/** The one state value of a session. What exists only in a state lives in that state. */
export type SessionState = Counters &
  (
    | { readonly status: 'restoring' }
    | { readonly status: 'unauthenticated'; readonly ended?: Ended }
    | { readonly status: 'authenticated'; readonly credential: Credential; readonly backoff?: Backoff }
    | { readonly status: 'refreshing'; readonly credential?: Credential; readonly backoff?: Backoff }
    /** The tokens are gone and a sign-in is pending (opt-in `reauthenticate`): requests wait for it. */
    | { readonly status: 'reauthenticating'; readonly login: Login }
    /** Disposed for good; the tokens stay readable (`getTokens()`), nothing uses them again. */
    | { readonly status: 'disposed'; readonly credential?: Credential }
  )

/** Where tokens or a sign-out came from. */
export type Origin = 'app' | 'tab'

/** What happened: past-tense facts, each carrying the time it needs. */
export type SessionEvent =
  /** Tokens are being read from an asynchronous storage, or asked of other tabs. */
  | { readonly type: 'restoreStarted' }
  | { readonly type: 'restored'; readonly credential: Credential | undefined }
  /** A login (`setTokens`), another tab, or a refresh that answered after its timeout (`lateRefresh`). */
  | { readonly type: 'tokensReceived'; readonly credential: Credential; readonly from: Origin | 'lateRefresh'; readonly generation?: number }
  | { readonly type: 'signedOut'; readonly from: Origin; readonly reason: LoginRequiredReason }
  /** Someone needs a fresh token; `withoutToken` when the refresh token is a cookie. */
  | { readonly type: 'refreshRequested'; readonly withoutToken: boolean }
  /** A first 401 for a request sent with `sentGeneration`. */
  | { readonly type: 'unauthorized'; readonly sentGeneration: number }
  /** A replayed request got 401 again. */
  | { readonly type: 'replayRefused'; readonly sentGeneration: number; readonly cause: unknown }
  | { readonly type: 'refreshSucceeded'; readonly attempt: number; readonly credential: Credential }
  /** `usable`: the current token has not expired (server time), so held requests may still use it. */
  | { readonly type: 'refreshFailed'; readonly attempt: number; readonly fatal: boolean; readonly error: ReauthError; readonly cause: unknown; readonly usable: boolean; readonly at: number }
  | { readonly type: 'disposed'; readonly error: ReauthError }
  /** Another tab opened its sign-in (`reauthenticate`) for the session they share. */
  | { readonly type: 'loginOpened'; readonly reason: LoginRequiredReason }
  /** The sign-in of `attempt` gave tokens. */
  | { readonly type: 'reauthenticated'; readonly attempt: number; readonly credential: Credential }
  /** The sign-in of `attempt` was cancelled, failed or timed out; `cause` says which. */
  | { readonly type: 'reauthenticationFailed'; readonly attempt: number; readonly cause: unknown }

/** How an error the effects share is made: once per transition, by the runner. */
export type Failure = { readonly kind: 'ended'; readonly reason: LoginRequiredReason; readonly cause: unknown } | { readonly kind: 'given'; readonly error: ReauthError }

/** What the runner does for a transition, in this order. */
export type Effect =
  | { readonly type: 'hold' }
  | { readonly type: 'release' }
  | { readonly type: 'rejectHeld'; readonly failure: Failure }
  | { readonly type: 'callRefresh'; readonly attempt: number; readonly refreshToken: string | undefined }
  /** Settles the shared promise of the refresh in flight, with the new tokens or the failure. */
  | { readonly type: 'settleFlight'; readonly tokens?: Tokens; readonly failure?: Failure }
  /** `tab`: tokens or a sign-out another tab made, which shared storage already holds. */
  | { readonly type: 'persist'; readonly tokens: Tokens | undefined; readonly from?: Origin | 'lateRefresh' }
  | { readonly type: 'broadcast'; readonly message: TabMessage }
  | { readonly type: 'emitTokens'; readonly tokens: Tokens | undefined }
  | { readonly type: 'emitRefreshStart'; readonly attempt: number }
  | { readonly type: 'emitRefreshSuccess'; readonly attempt: number; readonly superseded?: boolean }
  | { readonly type: 'emitRefreshFailure'; readonly attempt: number; readonly failure: Failure }
  | { readonly type: 'loginRequired'; readonly failure: Failure & { kind: 'ended' } }
  /** Starts waiting for a sign-in (running the app's `reauthenticate` when `here`); takes over the refresh's waiters. */
  | { readonly type: 'openLogin'; readonly attempt: number; readonly login: Login }
  /** Settles the pending sign-in's shared promise, with the new tokens or the failure; aborts its signal. */
  | { readonly type: 'settleLogin'; readonly tokens?: Tokens; readonly failure?: Failure }

/** The result of one event: the next state and what to do about it. */
export interface Transition {
  readonly state: SessionState
  readonly effects: readonly Effect[]
}

/** What the table needs to know of the session's options. */
export interface SessionRules {
  /** The app gave `reauthenticate`: a session that would end waits for a sign-in instead. */
  readonly reauthenticate: boolean
}

/** The state a session starts in, before its first tokens. */
export const initialState: SessionState = { status: 'unauthenticated', generation: 0, attempt: 0 }

/**
 * The tokens a live session works with: only `authenticated` and `refreshing` have them in use
 * (a disposed session keeps its last ones readable, and nothing else).
 * @example
 * ```ts
 * const accessToken = credentialOf(state)?.tokens.accessToken
 * ```
 */
export const credentialOf = (state: SessionState): Credential | undefined =>
  state.status === 'authenticated' || state.status === 'refreshing' ? state.credential : undefined

/**
 * A refresh, a restore or a sign-in is under way: requests wait for it, and no refresh starts.
 * @example
 * ```ts
 * if (isBusy(state)) return 0
 * ```
 */
export const isBusy = (state: SessionState): boolean =>
  state.status === 'refreshing' || state.status === 'restoring' || state.status === 'reauthenticating'

/**
 * How long to wait after `count` tries in a row that did not take: 1 s, 2 s, 4 s … 60 s. Both
 * refreshes ahead of expiry that fail transiently and just-issued tokens that are due on arrival back off so.
 * @example
 * ```ts
 * const until = now + backoffDelay(failures)
 * ```
 */
export const backoffDelay = (count: number) => Math.min(1000 * 2 ** (count - 1), 60_000)
