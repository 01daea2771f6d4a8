import { ConfigurationError, loginLocation, safeReturnTo, type LoginRedirectOptions } from 'axios-reauth'

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

export type { LoginRedirectOptions }

/** Looks the router up when it is needed, wrapping a getter's failure (a router not made yet). */
function resolveRouter(router: RouterLike | (() => RouterLike | undefined)): RouterLike {
  let found: RouterLike | undefined
  try {
    found = typeof router === 'function' ? router() : router
  } catch (error) {
    throw new ConfigurationError('invalid-option', 'loginRedirect(() => router) could not read the router: the getter threw before the router was created. Create the router before a request can end the session, or pass { router } to app.use(authPlugin).', { cause: error })
  }
  if (!found) {
    throw new ConfigurationError('invalid-option', 'loginRedirect(() => router) found no router: the getter returned nothing. Return the app\'s router from it, or pass { router } to app.use(authPlugin).')
  }
  return found
}

/**
 * Makes an `onLoginRequired` callback that sends the user to the login page, remembering the
 * current page in the query. Already on the login page, it stays there.
 *
 * Give a getter (`() => router`) when the module that creates the client is imported by the
 * router's own views: the router is then read only when a session ends, not while modules load.
 *
 * @param router - The app's vue-router, or a function returning it (only `currentRoute` and `push` are used).
 * @param options - `loginRoute` and `returnToQuery`.
 * @returns The callback for `createAuthClient({ onLoginRequired })`.
 * @throws ConfigurationError `invalid-option` (from the callback) when the getter throws or returns nothing.
 * @example
 * ```ts
 * // api.ts, imported by views the router imports: the router does not exist yet here.
 * const auth = createAuthClient({ refresh, onLoginRequired: loginRedirect(() => router) })
 * // /orders/7?tab=items  ->  /login?returnTo=%2Forders%2F7%3Ftab%3Ditems
 * ```
 */
export function loginRedirect(router: RouterLike | (() => RouterLike | undefined), options: LoginRedirectOptions = {}): () => void {
  return () => {
    const target = resolveRouter(router)
    const location = loginLocation(target.currentRoute.value.fullPath, options)
    if (location) target.push({ path: location.path, query: location.query })
  }
}

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
  return safeReturnTo(route.query[returnToQuery], fallback)
}
