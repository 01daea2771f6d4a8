import { AxiosError, isAxiosError, type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import { ReauthError, type Session } from '../core'
import { judgeChallenge } from '../core/challenge-verdict'
import { diagnose } from './diagnose'
import type { GlueOptions } from './glue-options'
import { toRequestError } from './request-error'
import { markRetried, readStamp, type RequestStamp } from './replay-marker'

/**
 * Builds the response interceptors. A 401 on a request that carried (or could have carried)
 * the session's token is explained, judged by its challenge and by the generation it was sent
 * with, then replayed once through the same instance; everything else passes through
 * untouched, same identity.
 */
export function createResponseHandlers(session: Session, instance: AxiosInstance, options: GlueOptions) {
  const { shouldRefresh, dpop, logger } = options

  const explain = (error: AxiosError) => {
    // A burst of 10k 401s would decode the same token 10k times for nobody.
    if (!logger && !session.isObserved('diagnosis')) return
    const diagnosis = diagnose(error, { session })
    session.report('diagnosis', diagnosis)
    logger?.debug(`[axios-reauth] 401 ${error.config?.method?.toUpperCase()} ${error.config?.url}: ${diagnosis.code}. ${diagnosis.message} ${diagnosis.hint}`)
  }

  const retryWithNonce = async (error: AxiosError, stamp: RequestStamp) => {
    const config = error.config!
    const nonce = error.response?.headers?.['dpop-nonce']
    if (!dpop || stamp.nonceRetried || typeof nonce !== 'string') throw error
    const proof = await dpop.proof({ method: (config.method ?? 'get').toUpperCase(), url: instance.getUri(config), nonce })
    config.headers.set('DPoP', proof)
    return instance.request(markRetried(config, 'nonceRetried'))
  }

  const refreshThenReplay = (error: AxiosError, stamp: RequestStamp) => {
    const config = error.config!
    if (stamp.replayed) throw session.rejectReplay(stamp.generation, error)
    // While it waits, a request keeps its config, not the error (its response and stack): with
    // thousands of requests waiting for one refresh, that is most of their memory.
    const ready = session.recover(stamp.generation, config.signal as AbortSignal | undefined, error)
    return waitThenReplay(config, ready, config.replay === false ? error : undefined)
  }

  const waitThenReplay = async (config: InternalAxiosRequestConfig, ready: Promise<void>, skipped: AxiosError | undefined) => {
    try {
      await ready
    } catch (failure) {
      throw toRequestError(failure, config)
    }
    if (skipped) {
      throw new ReauthError('replay-skipped', 'The request got 401 and was not sent again because it has { replay: false }. The token is fresh now: send it again if that is safe.', { cause: skipped })
    }
    return instance.request(markRetried(config, 'replayed'))
  }

  const onError = async (error: unknown): Promise<unknown> => {
    if (!isAxiosError(error) || !error.config || !error.response) throw error
    const stamp = readStamp(error.config)
    if (!stamp) throw error
    session.serverClock.observe(error.response.headers?.date)
    const override = shouldRefresh?.(error)
    if (error.response.status !== 401 && override !== true) throw error
    if (error.response.status === 401) explain(error)
    if (override === false) throw error
    if (override === true) return refreshThenReplay(error, stamp)
    const verdict = judgeChallenge(error.response.headers?.['www-authenticate'] as string | string[] | undefined, error, Boolean(dpop))
    switch (verdict.action) {
      case 'refresh':
        return refreshThenReplay(error, stamp)
      case 'dpop-nonce':
        return retryWithNonce(error, stamp)
      case 'reject':
        if (verdict.error.code === 'insufficient-scope') {
          session.report('forbidden', { scope: (verdict.error as { scope?: string }).scope, error: verdict.error })
        }
        throw verdict.error
      default:
        throw error
    }
  }

  const onResponse = (response: AxiosResponse): AxiosResponse | Promise<AxiosResponse> => {
    if (!readStamp(response.config)) return response
    session.serverClock.observe(response.headers?.date)
    // Only APIs that signal expiry in a 2xx body (GraphQL) pay for this check.
    if (!shouldRefresh) return response
    const error = new AxiosError('The response signals an expired token (shouldRefresh).', 'ERR_BAD_RESPONSE', response.config, response.request, response)
    return shouldRefresh(error) === true ? (onError(error) as Promise<AxiosResponse>) : response
  }

  return { onResponse, onError }
}
