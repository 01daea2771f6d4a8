import type { RefreshFailureKind } from '../types'

/** Reads an HTTP status from an error of axios, ky, ofetch or fetch-wrapper shape. */
function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { response, status } = error as { response?: { status?: unknown }; status?: unknown }
  const value = response?.status ?? status
  return typeof value === 'number' ? value : undefined
}

/**
 * Judges a failed refresh call. The token endpoint answering 400 (`invalid_grant` and kin), 401
 * or 403 has rejected the refresh token: asking again cannot help, so the session is over.
 * Anything else (no response, 5xx, 429, a timeout, a bug in the refresh function) may pass, so
 * the session and its refresh token are kept.
 *
 * @param error - What the refresh function threw.
 * @returns `fatal` to end the session, `transient` to keep it.
 * @example
 * ```ts
 * classifyRefreshFailure({ response: { status: 400 } }) // 'fatal'
 * ```
 */
export function classifyRefreshFailure(error: unknown): RefreshFailureKind {
  const status = statusOf(error)
  return status === 400 || status === 401 || status === 403 ? 'fatal' : 'transient'
}
