/**
 * A response that the session judged, as the `cause` of the typed error it led to (a
 * `LoginRequiredError` after a refused replay, an `InsufficientScopeError`, `replay-skipped`…).
 * The message names the method, the path without its query (apps put credentials there) and
 * the status; `response` is the response itself, its body unread.
 * @example
 * ```ts
 * authFetch(url).catch((error) => {
 *   if (error.cause instanceof FetchResponseError) console.warn(error.cause.status)
 * })
 * ```
 */
export class FetchResponseError extends Error {
  override readonly name = 'FetchResponseError'
  /** The HTTP status, e.g. 401. */
  readonly status: number
  /** The response, as fetch returned it. */
  readonly response: Response

  /**
   * @param request - The request that was sent, for its method and path.
   * @param response - What it got.
   */
  constructor(request: Request, response: Response) {
    const path = (response.url || request.url).split(/[?#]/, 1)[0]
    super(`${request.method} ${path} answered ${response.status}.`)
    this.status = response.status
    this.response = response
  }
}
