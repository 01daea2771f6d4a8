import type { AuthClientOptions } from '../../axios/auth-client'
import { createSystemClock, type Clock } from '../time/clock'
import type { CrossTab } from '../tabs/cross-tab'
import { ConfigurationError } from '../errors'
import type { Logger } from '../support/logger'
import { classifyRefreshFailure } from '../refresh/classify-failure'
import type { RefreshSchedule } from '../refresh/scheduler'
import { memoryStorage, type TokenStorage } from '../tokens/storage'
import { normalizeTokens } from '../tokens/tokens'
import type { LoginRequiredEvent, ReauthenticateFunction, RefreshFailureKind, RefreshFunction, StepUpFunction, Tokens } from '../types'
import { closestKey } from './closest-key'
import { checkOption, optionRules } from './option-rules'

/** Every option of `createAuthClient()`, checked, with every default filled in. Frozen. */
export interface ResolvedClientOptions {
  readonly refresh: RefreshFunction
  /** The initial tokens, normalized (`expiresIn` turned into `expiresAt`). */
  readonly tokens: Tokens | undefined
  readonly onLoginRequired: ((event: LoginRequiredEvent) => void) | undefined
  readonly refreshTimeoutMs: number
  readonly reauthenticate: ReauthenticateFunction | undefined
  readonly reauthenticateTimeoutMs: number
  readonly stepUp: StepUpFunction | undefined
  /** `leewaySeconds` in milliseconds. */
  readonly leewayMs: number
  readonly classifyRefreshFailure: (error: unknown) => RefreshFailureKind
  readonly refreshTokenInCookie: boolean
  readonly storage: TokenStorage
  readonly clock: Clock
  /** Where warnings go. */
  readonly logger: Logger
  /** Where a diagnosis of every 401 goes: the logger with `debug: true`, else nowhere. */
  readonly diagnosisLogger: Logger | undefined
  /** The tabs' coordination, or `undefined` for a single tab. */
  readonly crossTab: CrossTab | undefined
  /** How long a localStorage lease lasts, so that a dead tab blocks the others for this long at most. */
  readonly tabLeaseMs: number
  readonly scheduleRefresh: RefreshSchedule | undefined
  readonly allowedOrigins: NonNullable<AuthClientOptions['allowedOrigins']>
  readonly shouldRefresh: AuthClientOptions['shouldRefresh']
  readonly dpop: AuthClientOptions['dpop']
  readonly diagnose: AuthClientOptions['diagnose']
  readonly replayConcurrency: number
  readonly header: string
  /** `''` for the raw token (`scheme: ''` or `null`). */
  readonly scheme: string
}

export const DEFAULT_REFRESH_TIMEOUT_MS = 15_000
export const DEFAULT_LEEWAY_SECONDS = 30
// Long enough to type a password or find a security key; short enough that held requests do not wait for a closed laptop.
export const DEFAULT_REAUTHENTICATE_TIMEOUT_MS = 300_000
// A lease outlives the hold bound, so that a live holder's lease never lapses under it.
const LEASE_MARGIN_MS = 5_000

const howToCall = (caller: string) => `${caller.slice(0, -2)}({ refresh: async ({ refreshToken, signal }) => ({ accessToken, refreshToken }) })`

// Keys that were accepted by the types once but never did anything on a client, with where they belong.
const movedKeys: Readonly<Record<string, string>> = {
  askTimeoutMs: 'crossTab: crossTab({ askTimeoutMs })',
  tabLockName: 'crossTab: crossTab({ name })',
  wakeEvents: 'scheduleRefresh: scheduledRefresh({ wakeEvents })',
}

/** Warns once, through the client's logger, about every key that no option has. */
function warnUnknownKeys(options: object, logger: Logger, caller: string): void {
  const known = Object.keys(optionRules)
  const unknown = Object.keys(options).filter((key) => !Object.hasOwn(optionRules, key))
  if (unknown.length === 0) return
  const named = unknown.map((key) => {
    const close = closestKey(key, known)
    const suggestion = (Object.hasOwn(movedKeys, key) ? movedKeys[key] : undefined) ?? (close && `"${close}"`)
    return suggestion ? `"${key}" (did you mean ${suggestion}?)` : `"${key}"`
  })
  const why = unknown.length === 1 ? 'it is not an option of the client. Fix the spelling, or remove it' : 'they are not options of the client. Fix the spelling, or remove them'
  logger.warn(`[axios-reauth] ${caller} ignored ${named.join(', ')}: ${why}.`)
}

/**
 * The tabs' coordination a client opens: the one given, none for `false`, and by default (or for
 * `true`) the one its storage carries when the storage is shared by the tabs.
 * @throws ConfigurationError when tabs must coordinate and nothing to coordinate them was imported.
 */
function resolveCrossTab(given: boolean | CrossTab | undefined, storage: TokenStorage, caller: string): CrossTab | undefined {
  if (typeof given === 'function') return given
  if (given === false) return undefined
  const carried = storage.crossTab
  if (storage.sharedAcrossTabs && carried) return carried
  const fix = "pass crossTab: crossTab({ name: 'my-app' }) with import { crossTab } from 'axios-reauth'"
  if (storage.sharedAcrossTabs) {
    throw new ConfigurationError('invalid-option', `${caller} needs crossTab: the storage is shared by the tabs (sharedAcrossTabs), and tabs that do not coordinate spend each other's rotated refresh tokens. Give the storage a crossTab, or ${fix}, or pass crossTab: false.`)
  }
  if (given === true) {
    throw new ConfigurationError('invalid-option', `${caller} refused crossTab (true): the storage carries no coordination, and the cross-tab code ships only when imported. To share memory tokens between tabs, ${fix}.`)
  }
  return undefined
}

/**
 * Checks what `createAuthClient(options)` was given and fills in every default, once: the one
 * place where defaults live. `undefined` and `null` take the default (except for `refresh`, which
 * is required, and `tokens`, which `setTokens()` would refuse). Keys that are no option get one
 * warning through the resolved logger, naming the closest option.
 *
 * @param options - What the app passed.
 * @param caller - The factory the app called, named in every message.
 * @returns The options with every default resolved, frozen.
 * @throws ConfigurationError `invalid-option` for a missing options object, a missing `refresh`,
 *   or any option of the wrong type or range, naming the fix.
 * @example
 * ```ts
 * const resolved = resolveClientOptions({ refresh })
 * resolved.refreshTimeoutMs // 15000
 * ```
 */
export function resolveClientOptions(options: unknown, caller = 'createAuthClient()'): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    const got = Array.isArray(options) ? 'an array' : options === null ? 'null' : typeof options
    throw new ConfigurationError('invalid-option', `${caller} needs an options object (got ${got}): call ${howToCall(caller)}.`)
  }
  const opts = options as AuthClientOptions
  if (typeof opts.refresh !== 'function') {
    throw new ConfigurationError('invalid-option', `${caller} needs a refresh function (got ${typeof opts.refresh}): pass refresh: async ({ refreshToken, signal }) => ({ accessToken, refreshToken }).`)
  }
  for (const key of Object.keys(optionRules) as Array<keyof typeof optionRules>) checkOption(key, opts[key], caller)
  const logger = opts.logger ?? console
  warnUnknownKeys(options, logger, caller)
  const storage = opts.storage ?? memoryStorage()
  const clock = opts.clock ?? createSystemClock()
  const refreshTimeoutMs = opts.refreshTimeoutMs ?? DEFAULT_REFRESH_TIMEOUT_MS
  const debug = opts.debug ?? false
  if (debug && !opts.diagnose) {
    throw new ConfigurationError('invalid-option', "createAuthClient() refused debug (true): it logs a diagnosis of each 401, which needs the diagnose option. Pass import { diagnose } from 'axios-reauth/diagnose' as createAuthClient({ refresh, debug: true, diagnose }).")
  }
  return Object.freeze({
    refresh: opts.refresh,
    tokens: opts.tokens === undefined ? undefined : normalizeTokens(opts.tokens, clock.now(), 'setTokens'),
    onLoginRequired: opts.onLoginRequired ?? undefined,
    refreshTimeoutMs,
    reauthenticate: opts.reauthenticate ?? undefined,
    reauthenticateTimeoutMs: opts.reauthenticateTimeoutMs ?? DEFAULT_REAUTHENTICATE_TIMEOUT_MS,
    stepUp: opts.stepUp ?? undefined,
    leewayMs: (opts.leewaySeconds ?? DEFAULT_LEEWAY_SECONDS) * 1000,
    classifyRefreshFailure: opts.classifyRefreshFailure ?? classifyRefreshFailure,
    refreshTokenInCookie: opts.refreshTokenInCookie ?? false,
    storage,
    clock,
    logger,
    diagnosisLogger: debug ? logger : undefined,
    crossTab: resolveCrossTab(opts.crossTab ?? undefined, storage, caller),
    tabLeaseMs: refreshTimeoutMs + LEASE_MARGIN_MS,
    scheduleRefresh: opts.scheduleRefresh || undefined,
    allowedOrigins: Object.freeze([...(opts.allowedOrigins ?? [])]),
    shouldRefresh: opts.shouldRefresh ?? undefined,
    dpop: opts.dpop ?? undefined,
    diagnose: opts.diagnose ?? undefined,
    replayConcurrency: opts.replayConcurrency ?? Number.POSITIVE_INFINITY,
    header: opts.header ?? 'Authorization',
    // null asks for the raw token here, not for the default.
    scheme: opts.scheme === undefined ? (opts.dpop ? 'DPoP' : 'Bearer') : (opts.scheme ?? ''),
  })
}
