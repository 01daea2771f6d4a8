import { ConfigurationError, loginLocation, readReturnTo, type LoginRedirectOptions } from 'axios-reauth'

/** A function that goes to a path of the app: React Router's `navigate`, `router.navigate`, or your own. */
export type NavigateLike = (path: string) => unknown

/** Options of the React {@link loginRedirect}. */
export interface ReactLoginRedirectOptions extends LoginRedirectOptions {
  /**
   * The page the user is on, with its query and hash. Set it for a memory or hash router.
   * @default () => location.pathname + location.search + location.hash
   */
  currentPath?: () => string
}

const browserPath = (): string => {
  const { location } = globalThis
  if (!location) {
    throw new ConfigurationError('invalid-option', 'loginRedirect() could not tell the current page: there is no location here (server rendering or a worker). Pass { currentPath: () => path }.')
  }
  return location.pathname + location.search + location.hash
}

/**
 * Makes an `onLoginRequired` callback that sends the user to the login page, remembering the
 * current page in `returnTo`. Already on the login page, it stays there. It needs no router
 * library: anything that goes to a path will do.
 *
 * Give a getter (`() => navigate`) when `navigate` only exists inside components
 * (`useNavigate()`), as the client is created outside them: it is looked up when the session ends.
 *
 * @param navigate - `navigate(path)`, or a function returning it. A getter is told apart by
 * what it returns: when the call gives back a function, that function is called with the path.
 * @param options - `loginRoute`, `returnToQuery` and `currentPath`.
 * @returns The callback for `createAuthClient({ onLoginRequired })`.
 * A getter that returns nothing yet (no component has handed `navigate` over) cannot be told
 * from a `navigate` that returns nothing, so nothing happens then; the `loginRequired` event
 * still fires for the app to act on.
 * @throws ConfigurationError `invalid-option` (from the callback) when there is no `location`
 * (server rendering) and no `currentPath`.
 * @example
 * ```tsx
 * // With a data router: createBrowserRouter() gives router.navigate.
 * const auth = createAuthClient({ refresh, onLoginRequired: loginRedirect((path) => router.navigate(path)) })
 *
 * // With <BrowserRouter>: keep the latest navigate from a component.
 * let navigate: NavigateFunction | undefined
 * const auth2 = createAuthClient({ refresh, onLoginRequired: loginRedirect(() => navigate) })
 * function KeepNavigate() { navigate = useNavigate(); return null }
 * // /orders/7?tab=items  ->  /login?returnTo=%2Forders%2F7%3Ftab%3Ditems
 * ```
 */
export function loginRedirect(navigate: NavigateLike | (() => NavigateLike | undefined), options: ReactLoginRedirectOptions = {}): () => void {
  const { currentPath = browserPath } = options
  return () => {
    const location = loginLocation(currentPath(), options)
    if (!location) return
    // Called with the path, a navigate goes there; a getter ignores it and hands back the navigate.
    const result: unknown = (navigate as (path: string) => unknown)(location.href)
    if (typeof result === 'function') (result as NavigateLike)(location.href)
  }
}

/**
 * Reads the page to return to after a login, from the query {@link loginRedirect} wrote. Only a
 * path of this app is returned: `//host`, `/\host`, absolute URLs and `javascript:` give the
 * fallback, so the login page cannot be turned into an open redirect.
 *
 * @param search - `useLocation().search`, `useSearchParams()[0]`, or `location.search`.
 * @param fallback - Where to go otherwise. @default '/'
 * @param returnToQuery - The query parameter to read. @default 'returnTo'
 * @returns A path starting with a single `/`.
 * @example
 * ```tsx
 * const [params] = useSearchParams()
 * await login(credentials)
 * navigate(returnTo(params, '/dashboard'), { replace: true })
 * ```
 */
export function returnTo(search: string | URLSearchParams, fallback = '/', returnToQuery = 'returnTo'): string {
  return readReturnTo(search, fallback, returnToQuery)
}
