import { ConfigurationError } from '../errors'
import type { SessionPort } from './types'

/** Options of `auth.getAccessToken()`. */
export interface AccessTokenOptions {
  /** How many seconds (server time) the token must stay valid for. @default the client's `leewaySeconds` */
  minValidity?: number
}

/**
 * Builds `auth.getAccessToken()`: the request path's rules for code that sends no request through the glue. It waits
 * where a request would be held (restoring, a refresh in flight, a token due within the leeway),
 * then refreshes through the same single flight only when the token is still too short-lived.
 */
export function createAccessTokenGetter(session: SessionPort) {
  return async (options?: AccessTokenOptions): Promise<string> => {
    const minValidity = options?.minValidity ?? session.leewayMs / 1000
    if (typeof minValidity !== 'number' || !Number.isFinite(minValidity) || minValidity < 0) {
      throw new ConfigurationError('invalid-option', `getAccessToken() refused minValidity (${String(minValidity)}): it must be a finite number of seconds, 0 or more. Pass e.g. { minValidity: 60 }, or leave it out for the leeway.`)
    }
    // Held like a request: settles once restoring or the refresh in flight is over, or rejects with its typed failure.
    await session.whenReady()
    const token = session.accessToken
    const expiresAt = session.expiresAt
    if (token !== undefined && (expiresAt === undefined || expiresAt - session.serverClock.now() >= minValidity * 1000)) return token
    // No token (the session's refresh() rejects with LoginRequiredError), or one that ends too soon.
    return (await session.refresh()).accessToken
  }
}
