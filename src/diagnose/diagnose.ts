import { isAxiosError, type AxiosError } from 'axios'
// From the package root, not its files: this entry shares the root's classes instead of copying them.
import { findChallenge, isReauthError, parseWwwAuthenticate, readClaims, redact, type DiagnoseContext, type Diagnosis, type LoginRequiredError } from 'axios-reauth'

const seconds = (ms: number) => `${Math.round(Math.abs(ms) / 1000)} s`

const result = (code: string, message: string, hint: string): Diagnosis => ({ code, message, hint })

/** Whether a config was handled by the client being asked (or, without one, by any client). */
type IsStamped = NonNullable<DiagnoseContext['isStamped']>

// Every client marks the configs it handles under a key of its own with this prefix.
const anyClientStamped: IsStamped = (config) => config !== undefined && Object.keys(config).some((name) => name.startsWith('axios-reauth:'))

// An auth scheme worth naming in a message: a short word (Bearer, Basic, DPoP, AWS4-HMAC-SHA256).
// Anything else in the scheme's place may be a credential sent without one, and is redacted.
const schemeName = /^[A-Za-z][A-Za-z-]{0,19}$|^AWS4-HMAC-SHA256$/

interface SentCredential {
  /** The scheme as it may be printed: its name, or the redacted word when it could be a secret. */
  scheme: string
  /** The lower-cased scheme, or `''` when the header has no separate scheme. */
  kind: string
  token: string
}

function sentCredential(error: AxiosError, context: DiagnoseContext): SentCredential | undefined {
  const name = context.header?.name ?? 'Authorization'
  const header = error.config?.headers?.get?.(name) ?? error.config?.headers?.[name]
  if (typeof header !== 'string' || header.trim() === '') return undefined
  const scheme = context.header?.scheme ?? 'Bearer'
  // The client's own custom scheme (or raw token) is judged as its bearer token.
  if (scheme === '') return { scheme: 'a raw token', kind: 'bearer', token: header.trim() }
  if (scheme !== 'Bearer' && header.startsWith(`${scheme} `)) return { scheme, kind: 'bearer', token: header.slice(scheme.length + 1).trim() }
  const [first = '', ...rest] = header.trim().split(/\s+/)
  // One word alone is a credential without a scheme (a raw API key): it is never printed.
  if (rest.length === 0) return { scheme: `a credential without a scheme (${redact(first)})`, kind: '', token: first }
  const named = schemeName.test(first)
  return { scheme: named ? first : redact(first), kind: named ? first.toLowerCase() : '', token: rest.join(' ') }
}

function missingScope(scope: string | undefined): Diagnosis {
  return result('insufficient-scope', `The token is valid but lacks the permission${scope ? ` "${scope}"` : ''} this request needs.`, 'A new token will not fix this: request the scope at login, or hide the action.')
}

function whyMissing(error: AxiosError, isStamped: IsStamped, name: string): Diagnosis {
  const config = error.config
  const [cause, hint] = config?.skipAuth
    ? ['the request was sent with { skipAuth: true }', 'Drop skipAuth for endpoints that need the token.']
    : !isStamped(config)
      ? ['its origin is not allowed to receive the token (or no client is attached to this instance)', "Add the API's origin to allowedOrigins, or give the instance a baseURL on that origin."]
      : ['the client had no access token when it was sent', 'Call auth.setTokens() after login, before calling the API.']
  return result('missing-authorization', `The request carried no ${name} header: ${cause}.`, hint)
}

/**
 * Explains why a request got 401 (or how an axios-reauth error came about), from the request as
 * it was sent, the response, and the client's clock. Never throws; a token appears at most as
 * its last 4 characters.
 *
 * An opt-in import, so that an app that never diagnoses does not ship the messages: pass it to
 * `createAuthClient({ diagnose })` for `auth.diagnose()`, `debug: true` and the `diagnosis`
 * event, or call it on its own.
 *
 * @param error - What the request rejected with.
 * @param context - The client's session, header and own requests (the client passes them); on
 *   its own, the device clock, a 30 s leeway, `Authorization: Bearer` and any client's requests.
 * @returns `{ code, message, hint }`; `code` is `unknown` when nothing fits.
 * @example
 * ```ts
 * import { diagnose } from 'axios-reauth/diagnose'
 *
 * const auth = createAuthClient({ refresh, diagnose })
 * api.get('/me').catch((error) => console.warn(auth.diagnose(error).message))
 * ```
 */
export function diagnose(error: unknown, context: DiagnoseContext = {}): Diagnosis {
  const isStamped = context.isStamped ?? anyClientStamped
  if (isReauthError(error) && error.code === 'login-required' && (error as LoginRequiredError).reason === 'refresh-rejected') {
    return result('refresh-rejected', 'The token endpoint rejected the refresh token, so the session ended.', 'The refresh token expired, was revoked, or was already used (rotation). The user has to sign in again.')
  }
  const failure = isReauthError(error) && isAxiosError(error.cause) ? error.cause : error
  if (!isAxiosError(failure) || !failure.response) {
    return result('unknown', 'This is not an HTTP 401 error, so there is nothing to diagnose.', 'Pass the error a request rejected with.')
  }
  const { response } = failure
  if (response.status === 407) {
    return result('proxy-auth', 'A proxy between the app and the API asks for its own credentials (407).', 'This is not about the access token: configure the proxy credentials, or bypass the proxy.')
  }
  const challenges = parseWwwAuthenticate(response.headers?.['www-authenticate'] as string | string[] | undefined)
  const scopeChallenge = challenges.find((challenge) => challenge.params.error === 'insufficient_scope')
  if ((response.status === 401 || response.status === 403) && scopeChallenge) return missingScope(scopeChallenge.params.scope)
  if (response.status !== 401) {
    return result('unknown', `The response was ${response.status}, not 401.`, 'diagnose() explains 401 responses, and 403s that name a missing scope.')
  }
  // A nonce challenge says nothing against the token: the proof lacked the server's nonce.
  if (findChallenge(challenges, 'dpop')?.params.error === 'use_dpop_nonce') {
    return result('dpop-nonce', 'The server asks for a DPoP proof that carries its nonce (use_dpop_nonce); the token itself was not refused.', 'With dpop set, the request goes once more with the nonce, no refresh. A cross-origin API must list DPoP-Nonce in Access-Control-Expose-Headers, or the browser hides the nonce.')
  }
  const sent = sentCredential(failure, context)
  if (!sent) return whyMissing(failure, isStamped, context.header?.name ?? 'Authorization')
  const bearer = sent.kind ? findChallenge(challenges, sent.kind) : undefined
  // A custom scheme answers whatever challenge its API sends: no mismatch to name.
  const isCustom = context.header !== undefined && context.header.scheme !== 'Bearer'
  if (challenges.length > 0 && !bearer && !isCustom) {
    const offered = challenges.map((challenge) => challenge.scheme).join(', ')
    return result('scheme-mismatch', `The server asks for ${offered} credentials, but the request sent ${sent.scheme}.`, `Check the API's auth scheme: ${sent.scheme} does not answer a ${offered} challenge.`)
  }
  if (sent.kind !== 'bearer' && sent.kind !== 'dpop') {
    return result('missing-authorization', `The request carried ${sent.kind ? `a ${sent.scheme}` : sent.scheme} Authorization header instead of the session's token: a custom header replaced it.`, 'Remove the custom Authorization header, or send that request with { skipAuth: true } on purpose.')
  }
  const claims = readClaims(sent.token)
  const serverNow = context.session?.serverClock.now() ?? Date.now()
  const offset = context.session?.serverClock.offsetMs ?? 0
  const leewayMs = context.session?.leewayMs ?? 30_000
  const who = `The token ${redact(sent.token)}`
  if (typeof claims?.exp === 'number' && claims.exp * 1000 <= serverNow) {
    return result('token-expired', `${who} expired ${seconds(serverNow - claims.exp * 1000)} ago (server time).`, 'axios-reauth refreshes and replays such requests; if you see this often, lower the token lifetime gap with leewaySeconds or pass scheduleRefresh: scheduledRefresh().')
  }
  if (typeof claims?.nbf === 'number' && claims.nbf * 1000 > serverNow) {
    return result('token-not-yet-valid', `${who} is not valid for another ${seconds(claims.nbf * 1000 - serverNow)} (nbf): the clocks of the token issuer and the API disagree.`, 'Synchronise the servers with NTP, or have the issuer back-date nbf by a few seconds.')
  }
  if (Math.abs(offset) > leewayMs) {
    return result('clock-skew', `This device's clock is ${seconds(offset)} ${offset > 0 ? 'behind' : 'ahead of'} the server's, more than the ${seconds(leewayMs)} leeway.`, "axios-reauth corrects expiry checks with the server's Date header; ask the user to fix the device clock if tokens are still rejected.")
  }
  if (challenges.length === 0 && isCrossOrigin(failure)) {
    return result('challenge-hidden', 'The 401 came from another origin and its WWW-Authenticate header is not visible: the browser hides it unless the server lists it in Access-Control-Expose-Headers.', 'On the API, add "Access-Control-Expose-Headers: WWW-Authenticate" so the client can tell an expired token from other 401s.')
  }
  if (claims) {
    const audience = Array.isArray(claims.aud) ? claims.aud.join(', ') : claims.aud
    const identity = [audience && `audience "${audience}"`, claims.iss && `issuer "${claims.iss}"`].filter(Boolean).join(' and ')
    return result('invalid-token', `${who} has not expired, yet the server rejected it${identity ? ` (it names ${identity})` : ''}.`, 'It was revoked, or it was issued for another API: check that the audience and issuer match what this API expects.')
  }
  return result('invalid-token', `The server rejected ${redact(sent.token)}, an opaque token whose expiry the client cannot read.`, 'It expired or was revoked; pass expiresIn/expiresAt from the token endpoint so the client can refresh ahead of time.')
}

function isCrossOrigin(error: AxiosError): boolean {
  const page = (globalThis as { location?: { origin?: string } }).location?.origin
  if (!page || !error.config) return false
  try {
    return new URL(error.config.url ?? '', error.config.baseURL ?? page).origin !== page
  } catch {
    return false
  }
}
