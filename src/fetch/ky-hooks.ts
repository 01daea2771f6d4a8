import { resolveFetchOptions, type AuthFetchOptions } from './fetch-options'
import { createFetchGlue } from './fetch-glue'
import { replayOrRefusal } from './replay-copies'
import { sessionPortOf, type SessionClient } from './session-port-of'

/** What ky passes to its hooks, as far as these hooks read it: `context.skipAuth` and `context.replay`. */
export interface KyHookOptions {
  context?: Record<string, unknown>
}

/** ky's `beforeRequest` and `afterResponse` hooks, to spread into `ky.create({ hooks })`. */
export interface KyHooks {
  /** Holds the request while a refresh runs, then writes the token (allowed origins only). */
  beforeRequest: Array<(request: Request, options: KyHookOptions) => Promise<void>>
  /** Judges a 401, joins the shared refresh, and returns the replay's response (once). */
  afterResponse: Array<(request: Request, options: KyHookOptions, response: Response) => Promise<Response | void>>
}

/**
 * Creates ky hooks with the guarantees of `createAuthFetch()`. `beforeRequest` holds the
 * request while a refresh runs (its `signal` honoured) and writes the token on allowed origins;
 * `afterResponse` judges a 401 (its challenge, and whether the token it carried is still the
 * current one), joins the one shared refresh, and replays the request once with `fetch`
 * (ky's clone of the request, body included), returning the replay's response to ky. Per
 * request, ky's `context: { skipAuth: true }` sends no token, and `context: { replay: false }`
 * rejects after the refresh with `replay-skipped` instead of sending again.
 *
 * ky wraps every request's signal in one of its own, so a refresh that sends its call through
 * this ky instance marks it `context: { skipAuth: true }`: otherwise the call waits behind the
 * refresh it belongs to, until `refreshTimeoutMs`. Pass the same `fetch` here as to ky when ky
 * has its own. Passing `createAuthFetch(auth)` as ky's `fetch` is the other way; use one of the
 * two, not both.
 *
 * @param auth - What `createAuthSession()` or `createAuthClient()` returned.
 * @param options - `fetch` (for the replay), `baseURL`, `allowedOrigins`, `scheme`.
 * @returns The hooks.
 * @throws ConfigurationError `invalid-option` for a missing client or a bad option.
 * @example
 * ```ts
 * const { beforeRequest, afterResponse } = createKyHooks(auth, { baseURL: 'https://api.example.com' })
 * const api = ky.create({ prefixUrl: 'https://api.example.com', hooks: { beforeRequest, afterResponse } })
 * ```
 */
export function createKyHooks(auth: SessionClient, options?: AuthFetchOptions): KyHooks {
  const port = sessionPortOf(auth, 'createKyHooks()')
  const glue = createFetchGlue(port, resolveFetchOptions(options))
  const skips = (request: Request, options: KyHookOptions) => options?.context?.skipAuth === true || !glue.allows(request.url)

  return {
    beforeRequest: [
      async (request, options) => {
        if (skips(request, options)) return
        const ready = glue.admit(request.signal)
        if (ready) await ready
        glue.authorize(request.headers)
      },
    ],
    afterResponse: [
      async (request, options, response) => {
        if (skips(request, options)) return undefined
        const unauthorized = glue.judge(request, response)
        if (!unauthorized) return undefined
        const generation = glue.generationOf(request.headers)
        // ky hands the hook a clone made before the send: its body is intact.
        const next = replayOrRefusal(request, options?.context?.replay, unauthorized)
        await port.recover(generation, request.signal, unauthorized)
        if (!(next instanceof Request)) throw next
        const sentAgain = glue.authorize(next.headers)
        const second = await glue.send(next)
        const again = glue.judge(request, second)
        if (again) throw port.rejectReplay(sentAgain, again)
        return second
      },
    ],
  }
}
