import { findChallenge, parseWwwAuthenticate } from './www-authenticate'
import { InsufficientScopeError, StepUpRequiredError, type ReauthError } from '../errors'

/** What a 401's challenge means for the session. */
export type ChallengeVerdict =
  /** The token is bad (expired, revoked) or the server did not say: refresh and replay. */
  | { action: 'refresh' }
  /** A new token cannot help, and the server said why: reject with this typed error. */
  | { action: 'reject'; error: ReauthError }
  /** Not a token problem this library handles (Basic, `invalid_request`): leave the error as is. */
  | { action: 'pass' }
  /** DPoP wants a fresh proof with this nonce (RFC 9449): retry once, no refresh. */
  | { action: 'dpop-nonce' }

// An absent max_age is Number(undefined), NaN: not finite, so undefined like any non-number.
const maxAgeOf = (value: string | undefined) => {
  const seconds = Number(value)
  return Number.isFinite(seconds) ? seconds : undefined
}

/**
 * Reads the `WWW-Authenticate` of a 401 (RFC 9110 11.6.1, RFC 6750 3, RFC 9449, RFC 9470) and
 * decides what to do. Many servers send no challenge at all with a 401; that is treated as an
 * expired token, as every client does in practice.
 *
 * @param header - The header's value(s), or `undefined` when absent.
 * @param cause - The request's error, kept as `cause` of a typed rejection.
 * @param usesDpop - The client sends DPoP-bound tokens, so a DPoP challenge speaks to it first.
 */
export function judgeChallenge(header: string | readonly string[] | undefined, cause: unknown, usesDpop = false): ChallengeVerdict {
  const challenges = parseWwwAuthenticate(header)
  if (challenges.length === 0) return { action: 'refresh' }
  const [first, second] = usesDpop ? ['DPoP', 'Bearer'] : ['Bearer', 'DPoP']
  const challenge = findChallenge(challenges, first) ?? findChallenge(challenges, second)
  if (!challenge) return { action: 'pass' }
  const { error, scope, acr_values: acrValues, max_age: maxAge } = challenge.params
  switch (error) {
    case undefined:
    case 'invalid_token':
      return { action: 'refresh' }
    case 'use_dpop_nonce':
      return { action: 'dpop-nonce' }
    case 'insufficient_scope':
      return { action: 'reject', error: new InsufficientScopeError(scope, cause) }
    case 'insufficient_user_authentication':
      return { action: 'reject', error: new StepUpRequiredError(acrValues, maxAgeOf(maxAge), cause) }
    default:
      return { action: 'pass' }
  }
}
