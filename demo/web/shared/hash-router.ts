export interface Route {
  /** `/` or `/login`. */
  readonly path: string
  /** Path and query, e.g. `/login?returnTo=%2F`. */
  readonly fullPath: string
  readonly query: Readonly<Record<string, string>>
}

export type RouteTarget = string | { readonly path: string; readonly query?: Readonly<Record<string, unknown>> }

/**
 * A router in the `#/path?query` part of the URL: the shape of vue-router that
 * `loginRedirect()` and `returnTo()` of `axios-reauth/vue` read, and enough for the React page.
 */
export interface HashRouter {
  readonly currentRoute: { readonly value: Route }
  push(to: RouteTarget): void
  replace(to: RouteTarget): void
  subscribe(listener: () => void): () => void
}

const parse = (hash: string): Route => {
  const fullPath = hash.replace(/^#/, '') || '/'
  const [path = '/', search = ''] = fullPath.split('?', 2)
  return { path, fullPath, query: Object.fromEntries(new URLSearchParams(search)) }
}

const hrefOf = (to: RouteTarget) => {
  if (typeof to === 'string') return `#${to}`
  const query = new URLSearchParams(Object.entries(to.query ?? {}).map(([key, value]) => [key, String(value)])).toString()
  return `#${to.path}${query ? `?${query}` : ''}`
}

/** Creates the router; routes live in `location.hash`, so the back button works too. */
export function createHashRouter(): HashRouter {
  let hash = location.hash
  let route = parse(hash)
  const listeners = new Set<() => void>()
  const sync = () => {
    if (location.hash === hash) return
    hash = location.hash
    route = parse(hash)
    for (const listener of [...listeners]) listener()
  }
  window.addEventListener('hashchange', sync)
  return {
    currentRoute: {
      get value() {
        return route
      },
    },
    push(to) {
      location.hash = hrefOf(to)
      sync()
    },
    replace(to) {
      history.replaceState(history.state, '', hrefOf(to))
      sync()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
