import { resolveFetchOptions, type AuthFetchOptions, type AuthRequestInit } from './fetch-options'
import { createFetchGlue } from './fetch-glue'
import { replayCopies, replayOrRefusal } from './replay-copies'
import { sessionPortOf, type SessionClient } from './session-port-of'

/** A `fetch` that carries the session's token: `(input, init) => Promise<Response>`, with `skipAuth` and `replay` in `init`. */
export type AuthFetch = (input: RequestInfo | URL, init?: AuthRequestInit) => Promise<Response>

const urlOf = (input: RequestInfo | URL): string => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)

/**
 * Creates a `fetch` that works like the axios glue: the token goes only to allowed origins; a
 * request made while a refresh runs is held (its `signal` honoured) and sent with the new token;
 * a 401 is judged by its `WWW-Authenticate` challenge and by the token it was sent with (a 401
 * for a token already replaced is replayed without a refresh); every other 401 joins the one
 * shared refresh and is replayed once, with its body as it was. A second 401 ends the session.
 *
 * A response is returned as fetch returns it, whatever its status (a 401 the session cannot
 * cure, a 403, a 500). The returned promise rejects when fetch would, and with a typed error
 * when the session decides: `LoginRequiredError` (session over), `RefreshFailedError`
 * (transient), `InsufficientScopeError`, `StepUpRequiredError`, `ReauthError` coded
 * `replay-skipped` (`{ replay: false }`), `body-not-replayable` (a stream body) or `disposed`;
 * with the signal's reason when aborted while held.
 *
 * @param auth - What `createAuthSession()` (no axios needed) or `createAuthClient()` returned.
 * @param options - `fetch`, `baseURL`, `allowedOrigins`, `scheme`.
 * @returns The auth fetch, a drop-in for `fetch`.
 * @throws ConfigurationError `invalid-option` for a missing client or a bad option.
 * @example
 * ```ts
 * const auth = createAuthSession({ refresh })
 * const authFetch = createAuthFetch(auth, { baseURL: 'https://api.example.com' })
 * const me = await (await authFetch('https://api.example.com/me')).json()
 * await authFetch('https://api.example.com/orders', { method: 'POST', body: JSON.stringify(order) })
 * ```
 */
export function createAuthFetch(auth: SessionClient, options?: AuthFetchOptions): AuthFetch {
  const port = sessionPortOf(auth, 'createAuthFetch()')
  const glue = createFetchGlue(port, resolveFetchOptions(options))
  const { send } = glue

  return async function authFetch(input, init) {
    const { skipAuth, replay, ...rest } = init ?? {}
    // Left as the app wrote it: no token, no refresh, not even a Request built.
    if (skipAuth === true || !glue.allows(urlOf(input))) return send(input, init && rest)
    // The refresh's own call (recognised by its signal, or by being sent before refresh's first
    // await) goes now and bare: it would wait behind itself. The app's signal, not the Request's,
    // which is a new one that follows it.
    if (port.isRefreshCall(rest.signal ?? (input instanceof Request ? input.signal : undefined))) return send(input, init && rest)
    const request = new Request(input, rest)
    const copies = replayCopies(request, rest)
    const ready = glue.admit(request.signal)
    if (ready) await ready
    const generation = glue.authorize(copies.first.headers)
    const response = await send(copies.first)
    const unauthorized = glue.judge(request, response)
    if (!unauthorized) return response
    const next = replayOrRefusal(copies.replay, replay, unauthorized)
    // The 401's body is read by nobody: release its connection while the refresh runs.
    if (next instanceof Request) response.body?.cancel().catch(() => {})
    await port.recover(generation, request.signal, unauthorized)
    // Refused only now: the token is fresh, so the app can send it again itself.
    if (!(next instanceof Request)) throw next
    const sentAgain = glue.authorize(next.headers)
    const second = await send(next)
    const again = glue.judge(request, second)
    if (again) throw port.rejectReplay(sentAgain, again)
    return second
  }
}
