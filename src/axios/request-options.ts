/** Per-request options of axios-reauth, typed on axios's own config. */
export interface ReauthRequestOptions {
  /**
   * Send this request as it is: no `Authorization` header from the session, and a 401 does not
   * trigger a refresh. For public endpoints, or a call that brings its own credentials.
   * @default false
   */
  skipAuth?: boolean
  /**
   * Whether a request that got 401 may be sent again once the token is refreshed. Set `false`
   * for a request that must never be sent twice (a payment): after the refresh it rejects with a
   * `ReauthError` coded `replay-skipped` instead, and the app decides.
   * @default true
   */
  replay?: boolean
}

declare module 'axios' {
  // Module augmentation, so that `api.get(url, { skipAuth: true })` type-checks without a cast.
  interface AxiosRequestConfig extends ReauthRequestOptions {}
}
