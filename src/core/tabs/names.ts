// The one page-scoped registry of the library, on purpose: two clients of one page that claim
// the same cross-tab name would share a session, and only something the whole page sees can
// tell. It hangs off the document (a new page, a new registry) under a global symbol, so that
// two copies of the library on one page see each other; each client removes its claim on dispose().
const registryKey = Symbol.for('axios-reauth.tab-names')

/** One client's claim on a cross-tab name in this page. */
export interface TabNameClaim {
  /** Another live client of this page claimed the same name first. */
  readonly alreadyClaimed: boolean
  /** Gives the name back; calling it again does nothing. */
  release(): void
}

/**
 * Claims `name` for one client in this page (`page` is its document).
 * @example
 * ```ts
 * const claim = claimTabName(document, 'axios-reauth:tokens')
 * if (claim.alreadyClaimed) logger.warn('…')
 * ```
 */
export function claimTabName(page: object, name: string): TabNameClaim {
  const claims = ((page as { [registryKey]?: Map<string, number> })[registryKey] ??= new Map())
  const count = claims.get(name) ?? 0
  claims.set(name, count + 1)
  let released = false
  return {
    alreadyClaimed: count > 0,
    release() {
      if (released) return
      released = true
      const left = (claims.get(name) ?? 1) - 1
      if (left > 0) claims.set(name, left)
      else claims.delete(name)
    },
  }
}
