/** Per-request options of axios-reauth, typed on axios's own config. */
export interface ReauthRequestOptions {
  /**
   * Send this request as it is: no `Authorization` header from the session, and a 401 does not
   * trigger a refresh. For public endpoints, or a call that brings its own credentials.
   * @default false
   */
  skipAuth?: boolean
}

declare module 'axios' {
  // Module augmentation, so that `api.get(url, { skipAuth: true })` type-checks without a cast.
  interface AxiosRequestConfig extends ReauthRequestOptions {}
}
