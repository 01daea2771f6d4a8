export { abortable } from './abortable'
export { createSystemClock, type Clock } from './clock'
export {
  ConfigurationError,
  isReauthError,
  LoginRequiredError,
  ReauthError,
  RefreshFailedError,
  toError,
  type LoginRequiredReason,
  type ReauthErrorCode,
} from './errors'
export { expiryOf, readClaims, type JwtClaims } from './jwt'
export { classifyRefreshFailure } from './refresh-failure'
export { createSession, type Session, type SessionOptions } from './session'
export type {
  Diagnosis,
  LoginRequiredEvent,
  RefreshContext,
  RefreshFailureKind,
  RefreshFunction,
  RefreshResult,
  SessionEvents,
  SessionStatus,
  Tokens,
} from './types'
export { createAuthStore, type AuthSnapshot, type AuthStore, type AuthStoreOptions } from './auth-store'
