/**
 * `axios-reauth/fetch`: the session and its one shared refresh for `fetch`, ky and ofetch,
 * with no axios needed. It exports the core (errors, storage, the session) so that a fetch-only
 * app imports everything from here; the build gives it and the root entry one shared core.
 */
export * from '../core'
export { createAuthSession, type AuthSession, type AuthSessionOptions } from '../core/session/auth-session'
export type { AccessTokenOptions } from '../core/session/access-token'
export type { AllowedOrigin } from '../core/origin/allow-list'
export { createAuthFetch, type AuthFetch } from './auth-fetch'
export type { AuthFetchOptions, AuthRequestInit, FetchFunction } from './fetch-options'
export { FetchResponseError } from './response-error'
export { createKyHooks, type KyHookOptions, type KyHooks } from './ky-hooks'
export type { SessionClient } from './session-port-of'
