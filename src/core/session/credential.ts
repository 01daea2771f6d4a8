import { expiryOf, readClaims } from '../tokens/jwt'
import type { Tokens } from '../types'
import { backoffDelay, type Credential } from './state'

/** The clocks and the leeway a credential is made with. */
export interface CredentialContext {
  /** Server time now (corrected by `Date` headers). */
  readonly serverNow: number
  /** This device's time now. */
  readonly deviceNow: number
  readonly leewayMs: number
}

/**
 * Turns tokens into the credential the session holds, deciding once when to refresh ahead of
 * expiry. Refreshing ahead must never loop, so:
 * - the leeway is at most half the token's lifetime, when the lifetime is known (`iat`, or a
 *   token just issued by the refresh function): 20 s tokens with a 30 s leeway refresh after 10 s;
 * - a just-issued token the server's clock calls due (a `Date` header hours ahead) is judged by
 *   this device's clock instead: the token endpoint just said it is good;
 * - a just-issued token that is due on arrival by both clocks backs off (1 s, 2 s … 60 s)
 *   instead of refreshing again at once.
 *
 * @param tokens - Normalized tokens.
 * @param context - The clocks and the leeway.
 * @param issued - The token endpoint just issued them (a refresh), with the credential they replace.
 * @example
 * ```ts
 * const credential = toCredential(tokens, { serverNow, deviceNow: Date.now(), leewayMs: 30_000 })
 * ```
 */
export function toCredential(tokens: Tokens, context: CredentialContext, issued?: { previous: Credential | undefined }): Credential {
  const claims = readClaims(tokens.accessToken)
  const expiresAt = expiryOf(tokens, claims)
  const fresh = { tokens, claims, expiresAt, refused: false, dueStreak: 0, refreshClock: 'server' as const }
  if (expiresAt === undefined) return { ...fresh, refreshAt: undefined }
  const { serverNow, deviceNow, leewayMs } = context
  // A just-issued token lives what is left of it, by the server's clock unless that calls it expired.
  const remaining = expiresAt > serverNow ? expiresAt - serverNow : expiresAt - deviceNow
  const stated = typeof claims?.iat === 'number' && typeof claims.exp === 'number' ? (claims.exp - claims.iat) * 1000 : undefined
  const lifetime = stated ?? (issued ? remaining : undefined)
  // For isExpiring, any token's lifetime is at least what was left of it when it arrived.
  const base = { ...fresh, lifetimeMs: stated ?? Math.max(remaining, 0) }
  const leeway = lifetime !== undefined && lifetime > 0 ? Math.min(leewayMs, lifetime / 2) : leewayMs
  const refreshAt = expiresAt - leeway
  if (!issued || refreshAt > serverNow) return { ...base, refreshAt }
  if (refreshAt > deviceNow) return { ...base, refreshAt, refreshClock: 'device' }
  const dueStreak = (issued.previous?.dueStreak ?? 0) + 1
  // Due the moment it arrived: the next refresh ahead backs off instead of looping.
  return { ...base, refreshAt: deviceNow + backoffDelay(dueStreak), refreshClock: 'device', dueStreak }
}
