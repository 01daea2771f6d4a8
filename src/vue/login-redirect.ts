/** The part of a vue-router `Router` that {@link loginRedirect} uses. */
export interface RouterLike {
  readonly currentRoute: { readonly value: { readonly fullPath: string } }
  /** Navigates; called with `{ path, query }`. */
  push(to: unknown): unknown
}

/** The part of a vue-router route that {@link returnTo} reads. */
export interface RouteLike {
  readonly query: Readonly<Record<string, unknown>>
}

/** Options of {@link loginRedirect}. */
export interface LoginRedirectOptions {
  /** The path of the login page. @default '/login' */
  loginRoute?: string
  /** The query parameter that carries the page to return to. @default 'returnTo' */
  returnToQuery?: string
}

const pathOf = (fullPath: string) => fullPath.replace(/[?#].*$/s, '')

/**
 * Makes an `onLoginRequired` callback that sends the user to the login page, remembering the
 * current page in the query. Already on the login page, it stays there.
 *
 * @param router - The app's vue-router (only `currentRoute` and `push` are used).
 * @param options - `loginRoute` and `returnToQuery`.
 * @returns The callback for `createAuthClient({ onLoginRequired })`.
 * @example
 * ```ts
 * const auth = createAuthClient({ refresh, onLoginRequired: loginRedirect(router) })
 * // /orders/7?tab=items  ->  /login?returnTo=%2Forders%2F7%3Ftab%3Ditems
 * ```
 */
export function loginRedirect(router: RouterLike, options: LoginRedirectOptions = {}): () => void {
  const { loginRoute = '/login', returnToQuery = 'returnTo' } = options
  return () => {
    const { fullPath } = router.currentRoute.value
    if (pathOf(fullPath) === pathOf(loginRoute)) return
    router.push({ path: loginRoute, query: { [returnToQuery]: fullPath } })
  }
}

/** Control characters, spaces and backslashes: browsers strip or fold them, so `/\t/evil.test` becomes `//evil.test`. */
const UNSAFE_CHARACTER = /[\u0000-\u0020\u007f\\]/

/**
 * Reads the page to return to after a login, from the query {@link loginRedirect} wrote. Only a
 * path of this app is returned: `//host`, `/\host`, absolute URLs and `javascript:` give the
 * fallback, so the login page cannot be turned into an open redirect.
 *
 * @param route - The login page's route (only `query` is read).
 * @param fallback - Where to go otherwise. @default '/'
 * @param returnToQuery - The query parameter to read. @default 'returnTo'
 * @returns A path starting with a single `/`.
 * @example
 * ```ts
 * await login(credentials)
 * router.replace(returnTo(route, '/dashboard'))
 * ```
 */
export function returnTo(route: RouteLike, fallback = '/', returnToQuery = 'returnTo'): string {
  const value = route.query[returnToQuery]
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return fallback
  if (UNSAFE_CHARACTER.test(value)) return fallback
  // A last check with the URL parser: the path must stay on the page's own origin.
  const base = 'http://app.invalid'
  try {
    return new URL(value, base).origin === base ? value : fallback
  } catch {
    return fallback
  }
}
