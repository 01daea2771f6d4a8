export { findChallenge, parseWwwAuthenticate, type AuthChallenge } from './challenge/www-authenticate'
export { createSystemClock, type Clock } from './time/clock'
export { detectTabCoordinator, type CrossTabOptions, type TabCoordinator } from './tabs/coordinator'
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
export { readClaims, type JwtClaims } from './tokens/jwt'
export type { TabChannel, TabMessage } from './tabs/channel'
export type { TabLock } from './tabs/lock'
export { redact, silentLogger, type Logger } from './support/logger'
export { classifyRefreshFailure } from './refresh/classify-failure'
export {
  browserWakeEvents,
  scheduledRefresh,
  type RefreshSchedule,
  type RefreshScheduler,
  type SchedulableSession,
  type ScheduledRefreshOptions,
  type WakeEvents,
} from './refresh/scheduler'
export { crossTab, type CrossTab, type CrossTabContext, type OpenedTabs } from './tabs/cross-tab'
export type { TabSyncHooks } from './tabs/sync'
export { createServerClock, type ServerClock } from './time/server-clock'
export { createSession } from './session/create-session'
export type { Session, SessionOptions } from './session/types'
export { memoryStorage, webStorage, type StorageLike, type TokenStorage } from './tokens/storage'
export type {
  Diagnosis,
  LoginRequiredEvent,
  ReauthenticateContext,
  ReauthenticateFunction,
  RefreshContext,
  RefreshFailureKind,
  RefreshFunction,
  RefreshResult,
  SessionEvents,
  SessionStatus,
  StepUpChallenge,
  StepUpFunction,
  Tokens,
} from './types'
export { createAuthStore, type AuthSnapshot, type AuthStore, type AuthStoreClient, type AuthStoreOptions } from './store/auth-store'
export { loginLocation, readReturnTo, safeReturnTo, type LoginLocation, type LoginRedirectOptions } from './support/return-to'
