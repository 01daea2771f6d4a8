import { ConfigurationError } from '../errors'
import type { RefreshResult, Tokens } from '../types'

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0

/**
 * Checks tokens handed to the session and turns `expiresIn` into `expiresAt`. Rejects what
 * would otherwise fail later in a confusing place, naming the property and the fix.
 */
export function normalizeTokens(input: unknown, now: number, source: 'setTokens' | 'refresh' | 'reauthenticate' | 'stepUp'): Tokens {
  const code = source === 'setTokens' ? 'invalid-option' : 'invalid-refresh-result'
  const where = source === 'setTokens' ? 'setTokens() was given' : source === 'refresh' ? 'The refresh function resolved with' : `${source} resolved with`
  if (typeof input !== 'object' || input === null) {
    throw new ConfigurationError(code, `${where} ${input === null ? 'null' : typeof input}: return an object { accessToken, refreshToken? }.`)
  }
  const { accessToken, refreshToken, expiresAt, expiresIn } = input as Partial<Record<keyof RefreshResult, unknown>>
  if (!isNonEmptyString(accessToken)) {
    throw new ConfigurationError(code, `${where} no accessToken string (got ${typeof accessToken}): map your token endpoint's field, e.g. { accessToken: data.access_token }.`)
  }
  if (refreshToken !== undefined && refreshToken !== null && !isNonEmptyString(refreshToken)) {
    throw new ConfigurationError(code, `${where} a refreshToken that is not a non-empty string (got ${typeof refreshToken}): pass a string or leave it out.`)
  }
  const tokens: Tokens = { accessToken }
  if (isNonEmptyString(refreshToken)) tokens.refreshToken = refreshToken
  if (typeof expiresAt === 'number' && Number.isFinite(expiresAt)) tokens.expiresAt = expiresAt
  else if (typeof expiresIn === 'number' && Number.isFinite(expiresIn)) tokens.expiresAt = now + expiresIn * 1000
  return tokens
}
