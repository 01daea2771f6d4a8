import type { AuthClientOptions } from '../../axios/auth-client'
import { ConfigurationError } from '../errors'
import { originOf } from '../origin/allow-list'

/**
 * Says what is wrong with a value that was given (neither `undefined` nor `null`): the reason
 * and the fix, as `it must be …. Pass ….` Returns `undefined` when the value fits.
 */
type Rule = (value: unknown) => string | undefined

// Timers fire at once past 2^31 - 1 ms, and the cross-tab lease adds 5 s to the refresh timeout.
const MAX_TIMEOUT_MS = 2_147_483_647 - 5_000

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

const anyValue: Rule = () => undefined

const aFunction =
  (example: string): Rule =>
  (value) =>
    typeof value === 'function' ? undefined : `it must be a function. Pass ${example}, or leave it out`

const aBoolean: Rule = (value) => (typeof value === 'boolean' ? undefined : 'it must be true or false. Pass a boolean, or leave it out')

const withMethods =
  (methods: readonly string[], example: string): Rule =>
  (value) => {
    const listed = methods.join(', ')
    if (typeof value !== 'object') return `it must be an object with ${listed}. Pass ${example}, or leave it out`
    const missing = methods.filter((name) => typeof (value as Record<string, unknown>)[name] !== 'function')
    return missing.length === 0 ? undefined : `it has no ${missing.join(', ')} method. Pass an object with ${listed}, e.g. ${example}`
  }

const milliseconds =
  (example: string): Rule =>
  (value) =>
    isFiniteNumber(value) && value > 0 && value <= MAX_TIMEOUT_MS
      ? undefined
      : `it must be a positive, finite number of milliseconds, at most ${MAX_TIMEOUT_MS}. Pass e.g. ${example}, or leave it out for the default`

// Both opt-in factories replace an older option value that needed their code in every bundle.
const optIn =
  (option: string, factory: string): Rule =>
  (value) => {
    if (typeof value === 'function' || value === false) return undefined
    return `the code it needs ships only when imported. Pass ${option}: ${factory} with import { ${factory.slice(0, factory.indexOf('('))} } from 'axios-reauth', or leave it out`
  }

const crossTabRule: Rule = (value) => (value === true ? undefined : optIn('crossTab', "crossTab({ name: 'my-app' })")(value))

// An HTTP field name or auth-scheme is a token (RFC 9110 §5.6.2).
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

const headerRule: Rule = (value) =>
  typeof value === 'string' && HTTP_TOKEN.test(value) ? undefined : "it must be an HTTP header name. Pass e.g. header: 'X-Access-Token', or leave it out for Authorization"

const schemeRule: Rule = (value) =>
  typeof value === 'string' && (value === '' || HTTP_TOKEN.test(value)) ? undefined : "it must be an auth scheme such as 'Bearer' or 'Token', or '' for the raw token. Pass e.g. scheme: 'Token', or leave it out for Bearer"

// A bare { proof } was the option once, answering nonce challenges only; now every send carries a proof.
const dpopRule: Rule = (value) => {
  const { proof, rememberNonce } = (typeof value === 'object' ? value : {}) as Record<string, unknown>
  if (typeof proof === 'function' && typeof rememberNonce !== 'function') {
    return "it is a bare { proof } factory, which answered nonce challenges only; now every request carries a proof. Pass dpop: dpop({ proof }) from 'axios-reauth/dpop' (your proof then gets { method, url, nonce, accessToken })"
  }
  return withMethods(['proof', 'rememberNonce'], "dpop() from 'axios-reauth/dpop'")(value)
}

const allowedOriginsRule: Rule = (value) => {
  if (!Array.isArray(value)) return "it must be an array of origins. Write allowedOrigins: ['https://api.example.com']"
  for (const [index, entry] of value.entries()) {
    if (entry instanceof RegExp) continue
    if (typeof entry !== 'string') return `allowedOrigins[${index}] is ${shown(entry)}, not a string or a RegExp. Write it as 'https://api.example.com' or a RegExp`
    // The same words as the attach-time check, which stays for instances attached later.
    if (originOf(entry) === undefined) return `allowedOrigins has an entry that is not an absolute origin (${JSON.stringify(entry)}). Write it as 'https://api.example.com' or a RegExp`
  }
  return undefined
}

/**
 * One rule per option of `createAuthClient()`: the list of known keys. The `satisfies` makes an
 * option without a rule (or a rule without an option) fail the type-check.
 */
export const optionRules = {
  // Checked first, with its own message; `tokens` is checked by normalizeTokens, as setTokens() is.
  refresh: anyValue,
  tokens: anyValue,
  onLoginRequired: aFunction('onLoginRequired: () => router.push(\'/login\')'),
  refreshTimeoutMs: milliseconds('refreshTimeoutMs: 15000'),
  reauthenticate: aFunction('reauthenticate: ({ reason, signal }) => openLoginDialog({ signal })'),
  reauthenticateTimeoutMs: milliseconds('reauthenticateTimeoutMs: 300000'),
  stepUp: aFunction('stepUp: ({ acrValues, maxAge }) => openStepUpDialog({ acrValues, maxAge })'),
  leewaySeconds: (value) =>
    isFiniteNumber(value) && value >= 0 ? undefined : 'it must be a finite number of seconds, 0 or more. Pass e.g. leewaySeconds: 30, or leave it out for the default',
  classifyRefreshFailure: aFunction("classifyRefreshFailure: (error) => 'fatal' or 'transient'"),
  refreshTokenInCookie: aBoolean,
  storage: withMethods(['get', 'set', 'clear'], 'memoryStorage() or webStorage(localStorage)'),
  clock: withMethods(['now', 'setTimeout', 'clearTimeout'], 'createSystemClock()'),
  logger: withMethods(['debug', 'warn'], 'console'),
  scheduleRefresh: optIn('scheduleRefresh', 'scheduledRefresh()'),
  debug: aBoolean,
  crossTab: crossTabRule,
  allowedOrigins: allowedOriginsRule,
  shouldRefresh: aFunction('shouldRefresh: (error) => true, false or undefined'),
  header: headerRule,
  scheme: schemeRule,
  dpop: dpopRule,
  diagnose: aFunction("diagnose (import { diagnose } from 'axios-reauth/diagnose')"),
  replayConcurrency: (value) =>
    value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && (value as number) > 0)
      ? undefined
      : 'it must be a whole number of requests, 1 or more, or Infinity. Pass e.g. replayConcurrency: 6, or leave it out for no cap',
} satisfies Record<keyof AuthClientOptions, Rule>

/** How a refused value is shown: its type, and its value for numbers, booleans, null and undefined (never a string, which may be a secret). */
function shown(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/**
 * Checks one option against its rule; `undefined` and `null` mean "not given".
 * @throws ConfigurationError `invalid-option` naming the option, what was given, and the fix.
 */
export function checkOption(key: keyof typeof optionRules, value: unknown, caller: string): void {
  if (value === undefined || value === null) return
  const problem = optionRules[key](value)
  if (problem) throw new ConfigurationError('invalid-option', `${caller} refused ${key} (${shown(value)}): ${problem}.`)
}
