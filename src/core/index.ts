export { findChallenge, parseWwwAuthenticate, type AuthChallenge } from './challenge'
export { createSystemClock, type Clock } from './clock'
export { detectTabCoordinator, type CrossTabOptions, type TabCoordinator } from './cross-tab'
export {
  ConfigurationError,
  InsufficientScopeError,
  isReauthError,
  LoginRequiredError,
  ReauthError,
  RefreshFailedError,
  StepUpRequiredError,
  type LoginRequiredReason,
  type ReauthErrorCode,
} from './errors'
export { readClaims, type JwtClaims } from './jwt'
export type { TabChannel, TabMessage } from './tab-channel'
export type { TabLock } from './tab-lock'
export { redact, silentLogger, type Logger } from './logger'
export { classifyRefreshFailure } from './refresh-failure'
export { browserWakeEvents, createRefreshScheduler, type RefreshScheduler, type WakeEvents } from './refresh-scheduler'
export { createServerClock, type ServerClock } from './server-clock'
export { createSession } from './session/create-session'
export type { Session, SessionOptions } from './session-types'
export { memoryStorage, webStorage, type StorageLike, type TokenStorage } from './token-storage'
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
export { createAuthStore, type AuthSnapshot, type AuthStore, type AuthStoreClient, type AuthStoreOptions } from './auth-store'
