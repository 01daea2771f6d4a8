import { AxiosError, isAxiosError, type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import type { ReauthError } from '../core'
import { judgeChallenge, type ReplayLimit, type SessionPort } from '../core/internal'
import { boundedByRequest } from './hold-bounds'
import type { AuthHeader } from './auth-header'
import type { GlueOptions } from './glue-options'
import type { OriginPolicy } from './origin-policy'
import { toRequestError } from './request-error'
import { whyNotSentAgain } from './replay-policy'
import type { RequestStamp, RequestStamps } from './request-stamp'
import { stepUpWait } from './step-up'

/** The URL a response finally came from, after redirects: XHR's `responseURL`, or Node's (follow-redirects). */
function finalUrlOf(response: AxiosResponse): string | undefined {
  const request = response.request as { responseURL?: unknown; res?: { responseUrl?: unknown } } | undefined
  const url = request?.responseURL || request?.res?.responseUrl
  return typeof url === 'string' && url !== '' ? url : undefined
}

/**
 * Builds the response interceptors. A 401 on a request that carried (or could have carried)
 * the session's token is explained, judged by its challenge and by the generation it was sent
 * with, then replayed once through the same instance; everything else passes through
 * untouched, same identity. So does a response that a redirect brought from an origin that is
 * not allowed: its 401 says nothing about this session's token.
 */
export function createResponseHandlers(
  session: SessionPort,
  instance: AxiosInstance,
  options: GlueOptions,
  policy: OriginPolicy,
  stamps: RequestStamps,
  isAttached: () => boolean,
  header: AuthHeader,
  replayLimit?: ReplayLimit,
) {
  const { shouldRefresh, dpop, logger, diagnose } = options
  const { markRetried } = stamps
  // Built once: the diagnosis reads the token from the header this client writes.
  const diagnosisContext = { session, header, isStamped: stamps.owns }

  const rewriteToken = (config: InternalAxiosRequestConfig) => {
    const token = session.accessToken
    if (token && stamps.read(config)?.wrote(config.headers.get(header.name))) config.headers.set(header.name, header.valueFor(token))
  }

  /** This client's stamp, when the response is for a request it handled and came from where it sent it. */
  const ownStamp = (response: AxiosResponse): RequestStamp | undefined => {
    const stamp = stamps.read(response.config)
    if (!stamp) return undefined
    const finalUrl = finalUrlOf(response)
    return finalUrl === undefined || policy.allowsUrl(finalUrl) ? stamp : undefined
  }

  const explain = (error: AxiosError) => {
    // A burst of 10k 401s would decode the same token 10k times for nobody.
    if (!diagnose || (!logger && !session.isObserved('diagnosis'))) return
    const diagnosis = diagnose(error, diagnosisContext)
    session.report('diagnosis', diagnosis)
    // The query is left out: apps do put credentials there (`?access_token=`).
    const path = (error.config?.url ?? '').split(/[?#]/, 1)[0]
    logger?.debug(`[axios-reauth] 401 ${error.config?.method?.toUpperCase()} ${path}: ${diagnosis.code}. ${diagnosis.message} ${diagnosis.hint}`)
  }

  const retryWithNonce = async (error: AxiosError, stamp: RequestStamp) => {
    const config = error.config!
    // The signer has remembered the nonce; the retry's send makes a proof with it.
    if (!dpop || typeof error.response?.headers?.['dpop-nonce'] !== 'string') throw error
    const refused = whyNotSentAgain(config, stamp, error)
    if (refused) throw refused
    return instance.request(markRetried(config, 'nonceRetried'))
  }

  const refreshThenReplay = (error: AxiosError, stamp: RequestStamp) => {
    if (stamp.replayed) throw session.rejectReplay(stamp.generation, error)
    return waitThenReplay(error, stamp, session.recover(stamp.generation, error.config!.signal as AbortSignal | undefined, error))
  }

  /**
   * Waits for `wait` (the refresh, or a step-up), then replays; a request that must not go again
   * still waits, then rejects. Whether it may go again is read from the error before the wait;
   * while it waits, a request keeps its config, not the error (its response and stack): with
   * thousands of requests waiting for one refresh, that is most of their memory. No async
   * function and no promise of its own: one reaction on the refresh that all of them share.
   */
  const waitThenReplay = (error: AxiosError, stamp: RequestStamp, wait: Promise<unknown>) => {
    const config = error.config!
    const refused = whyNotSentAgain(config, stamp, error)
    const ready = boundedByRequest(wait, config, session.clock)
    return ready.then(
      () => {
        // A request that must not go again still waits for the refresh, then rejects.
        if (refused) throw refused
        // Detached meanwhile, the instance no longer writes the token: the replay still goes with the new one.
        if (!isAttached()) rewriteToken(config)
        const replay = () => instance.request(markRetried(config, 'replayed'))
        return replayLimit ? replayLimit(replay) : replay()
      },
      (failure: unknown) => {
        throw toRequestError(failure, config)
      },
    )
  }

  // Not async: a 401 burst would pay a promise per request for nothing.
  const onError = (error: unknown): unknown => {
    if (!isAxiosError(error) || !error.config || !error.response) throw error
    const stamp = ownStamp(error.response)
    if (!stamp) throw error
    session.serverClock.observe(error.response.headers?.date)
    const { status } = error.response
    const override = shouldRefresh?.(error)
    if (status === 401) explain(error)
    if (override === true) return refreshThenReplay(error, stamp)
    if (override === false || (status !== 401 && status !== 403)) throw error
    const verdict = judgeChallenge(error.response.headers?.['www-authenticate'] as string | string[] | undefined, error, Boolean(dpop))
    // RFC 6750 sends insufficient_scope with 403: typed like its 401 twin, never refreshed. A 403
    // is a token problem only when its challenge says so; anything else passes through.
    if (status === 403) throw verdict.action === 'reject' ? reject(verdict.error) : error
    switch (verdict.action) {
      case 'refresh':
        return refreshThenReplay(error, stamp)
      case 'dpop-nonce':
        return retryWithNonce(error, stamp)
      case 'reject': {
        const steppedUp = stepUpWait(session, verdict.error, stamp, error.config.signal as AbortSignal | undefined)
        if (steppedUp) return waitThenReplay(error, stamp, steppedUp)
        throw reject(verdict.error)
      }
      default:
        throw error
    }
  }

  /** The typed error a challenge names, reported as `forbidden` first when it is about scope. */
  const reject = (typed: ReauthError): ReauthError => {
    if (typed.code === 'insufficient-scope') session.report('forbidden', { scope: (typed as { scope?: string }).scope, error: typed })
    return typed
  }

  const onResponse = (response: AxiosResponse): AxiosResponse | Promise<AxiosResponse> => {
    if (!stamps.read(response.config)) return response
    session.serverClock.observe(response.headers?.date)
    // Only APIs that signal expiry in a 2xx body (GraphQL) pay for these checks.
    if (!shouldRefresh || !ownStamp(response)) return response
    const error = new AxiosError('The response signals an expired token (shouldRefresh).', 'ERR_BAD_RESPONSE', response.config, response.request, response)
    return shouldRefresh(error) === true ? (onError(error) as Promise<AxiosResponse>) : response
  }

  return { onResponse, onError }
}
