/** Options shared by the login redirect helpers of every adapter. */
export interface LoginRedirectOptions {
  /** The path of the login page. @default '/login' */
  loginRoute?: string
  /** The query parameter that carries the page to return to. @default 'returnTo' */
  returnToQuery?: string
}

/** Where to send the user to log in: as a path and query (for routers) and as one `href`. */
export interface LoginLocation {
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly href: string
}

const pathOf = (fullPath: string) => fullPath.replace(/[?#].*$/s, '')

/**
 * Works out where to send the user to log in, remembering the page they are on. Already on the
 * login page, it gives `undefined`, so a redirect never loops or stacks `returnTo` values.
 *
 * @param currentPath - The current path with its query and hash, e.g. `/orders/7?tab=items`.
 * @param options - `loginRoute` and `returnToQuery`.
 * @returns The login location, or `undefined` when `currentPath` is the login page.
 * @example
 * ```ts
 * loginLocation('/orders/7?tab=items')?.href // '/login?returnTo=%2Forders%2F7%3Ftab%3Ditems'
 * loginLocation('/login?returnTo=%2F') // undefined
 * ```
 */
export function loginLocation(currentPath: string, options: LoginRedirectOptions = {}): LoginLocation | undefined {
  const { loginRoute = '/login', returnToQuery = 'returnTo' } = options
  if (pathOf(currentPath) === pathOf(loginRoute)) return undefined
  const search = new URLSearchParams({ [returnToQuery]: currentPath }).toString()
  return { path: loginRoute, query: { [returnToQuery]: currentPath }, href: `${loginRoute}?${search}` }
}

/** Control characters, spaces and backslashes: browsers strip or fold them, so `/\t/evil.test` becomes `//evil.test`. */
const UNSAFE_CHARACTER = /[\u0000-\u0020\u007f\\]/

/**
 * Checks a page to return to after a login. Only a path of this app comes back: `//host`,
 * `/\host`, absolute URLs, `javascript:` and anything not a string give the fallback, so the
 * login page cannot be turned into an open redirect.
 *
 * @param value - The untrusted value, as read from the query.
 * @param fallback - Where to go otherwise. @default '/'
 * @returns `value` when it is a path starting with a single `/`, else `fallback`.
 * @example
 * ```ts
 * safeReturnTo('/orders/7') // '/orders/7'
 * safeReturnTo('//evil.test') // '/'
 * ```
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
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

/**
 * Reads the page to return to from a query string, for apps without a router (or with one that
 * hands out `URLSearchParams`). Same safety as {@link safeReturnTo}.
 *
 * @param search - `location.search`, a query string, or `URLSearchParams`.
 * @param fallback - Where to go otherwise. @default '/'
 * @param returnToQuery - The query parameter to read. @default 'returnTo'
 * @returns A path starting with a single `/`.
 * @example
 * ```ts
 * await login(credentials)
 * location.assign(readReturnTo(location.search, '/dashboard'))
 * ```
 */
export function readReturnTo(search: string | URLSearchParams, fallback = '/', returnToQuery = 'returnTo'): string {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search
  return safeReturnTo(params.get(returnToQuery) ?? undefined, fallback)
}
