import { AxiosHeaders, isAxiosError } from 'axios'
import { isReauthError, LoginRequiredError } from 'axios-reauth'

/** The last 4 characters: enough to tell tokens apart, never enough to use one. */
export const tail = (token: string | undefined): string => (token ? `…${token.slice(-4)}` : 'no token')

/** Request headers in any of the shapes axios hands them out. */
type HeadersLike = Parameters<typeof AxiosHeaders.from>[0]

const header = (headers: unknown, name: string) => AxiosHeaders.from(headers as HeadersLike).get(name)

/** The tail of the Bearer token in a request's headers. */
export function bearerTail(headers: unknown): string {
  const value = header(headers, 'Authorization')
  return tail(typeof value === 'string' ? value.replace(/^Bearer\s+/i, '') : undefined)
}

/** `x-request-id` of a request, the key of its lane. */
export function requestIdOf(headers: unknown): string {
  const value = header(headers, 'x-request-id')
  return typeof value === 'string' ? value : '?'
}

/** `7 ms`, `120 ms`, `1.5 s`, `12 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  const seconds = ms / 1000
  return `${seconds < 10 ? seconds.toFixed(1).replace(/\.0$/, '') : Math.round(seconds)} s`
}

/** `12:04:31` in the viewer's locale. */
export const formatClock = (epochMs: number): string => new Date(epochMs).toLocaleTimeString()

/** What a failed request was rejected with, in a few words. */
export function describeError(error: unknown): string {
  if (error instanceof LoginRequiredError) return `LoginRequiredError (${error.reason})`
  if (isReauthError(error)) return `${error.name} (${error.code})`
  if (isAxiosError(error)) return error.response ? `HTTP ${error.response.status}` : `${error.code ?? 'network error'}`
  return error instanceof Error ? error.name : 'unknown error'
}

/** What the token endpoint answered, from a refresh failure's cause chain. */
export function tokenEndpointAnswer(error: unknown): string | undefined {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; depth++) {
    if (isAxiosError(cause)) {
      const body = cause.response?.data as { error?: unknown } | undefined
      if (typeof body?.error === 'string') return body.error
      return cause.response ? `HTTP ${cause.response.status}` : (cause.code ?? cause.message)
    }
    cause = (cause as { cause?: unknown }).cause
  }
  return undefined
}

/** A claim value for display: epoch-second claims get their local time too. */
export function formatClaim(name: string, value: unknown): string {
  if ((name === 'exp' || name === 'iat' || name === 'nbf') && typeof value === 'number') {
    return `${value} (${formatClock(value * 1000)})`
  }
  return typeof value === 'string' ? value : JSON.stringify(value)
}
