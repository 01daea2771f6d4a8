import { judgeChallenge, type SessionPort } from '../core/internal'
import { createAllowList } from '../core/origin/allow-list'
import type { ReauthError } from '../core/errors'
import type { FetchFunction, ResolvedFetchOptions } from './fetch-options'
import { FetchResponseError } from './response-error'

/** The decisions shared by the auth fetch and the ky hooks; each request is theirs to carry. */
export interface FetchGlue {
  readonly port: SessionPort
  readonly send: FetchFunction
  /** Whether a request to `url` (absolute, or relative to the page) may carry the token. */
  allows(url: string): boolean
  /** `undefined` when the request may go now, else a promise that settles when it may (or rejects: abort, session over). */
  admit(signal: AbortSignal | null | undefined): Promise<void> | undefined
  /** Writes the current token on `headers`; returns the generation it belongs to. */
  authorize(headers: Headers): number
  /** The generation a request was sent with, told by the token its headers carry. */
  generationOf(headers: Headers): number
  /**
   * Judges the response to `request`: a 401 the session can cure gives its {@link FetchResponseError}
   * (the cause of whatever follows); everything to hand back as it is gives `undefined`, including
   * any response a redirect brought from an origin that is not allowed.
   * @throws ReauthError `insufficient-scope` or `step-up-required` when the challenge says a new token cannot help.
   */
  judge(request: Request, response: Response): FetchResponseError | undefined
}

/**
 * Builds the fetch glue of a session. The token goes in `Authorization` only, which every fetch
 * (browsers, Node's undici) removes on a redirect to another origin; a response whose final URL
 * is on an origin that is not allowed says nothing about this session, and passes through.
 */
export function createFetchGlue(port: SessionPort, options: ResolvedFetchOptions): FetchGlue {
  const allowList = createAllowList(options.baseURL, options.allowedOrigins)
  const valueFor = options.scheme === '' ? (token: string) => token : (token: string) => `${options.scheme} ${token}`

  const rejectWith = (error: ReauthError): never => {
    if (error.code === 'insufficient-scope') port.report('forbidden', { scope: (error as { scope?: string }).scope, error })
    throw error
  }

  return {
    port,
    send: options.fetch,
    allows: allowList.allowsTarget,
    admit: (signal) => port.whenReady(signal),
    authorize(headers) {
      const token = port.accessToken
      if (token) headers.set('Authorization', valueFor(token))
      return port.generation
    },
    generationOf(headers) {
      const token = port.accessToken
      const sent = headers.get('Authorization') ?? undefined
      // Sent with the current token (or with none, and there is none): a 401 for this generation.
      return sent === (token === undefined ? undefined : valueFor(token)) ? port.generation : port.generation - 1
    },
    judge(request, response) {
      port.serverClock.observe(response.headers.get('date') ?? undefined)
      const { status } = response
      if ((status !== 401 && status !== 403) || (response.redirected && !allowList.allowsUrl(response.url))) return undefined
      const cause = new FetchResponseError(request, response)
      const verdict = judgeChallenge(response.headers.get('www-authenticate') ?? undefined, cause)
      if (verdict.action === 'reject') return rejectWith(verdict.error)
      // RFC 6750 sends insufficient_scope with 403; any other 403 is the app's to read.
      return status === 401 && verdict.action === 'refresh' ? cause : undefined
    },
  }
}
