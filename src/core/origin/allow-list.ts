import { ConfigurationError } from '../errors'

/** An allowed origin: an exact origin string (`https://api.example.com`) or a RegExp tested on it. */
export type AllowedOrigin = string | RegExp

/** Decides, for absolute or page-relative URLs, whether the token may go there. */
export interface AllowList {
  /** Whether a request to `target` (absolute, or relative to the page) goes to an allowed origin. */
  allowsTarget(target: string): boolean
  /** Whether an absolute URL (a redirect target, a response's final URL) is on an allowed origin. */
  allowsUrl(url: string): boolean
}

// A path that stays on its base's host whatever the URL parser does with it: one `/`, then a
// character that is neither a slash (`\` counts as one for http) nor a tab or newline (removed
// by the parser, which would join the slashes around them).
const hostRelativePath = /^\/[^/\\\t\n\r]/

/** The page's URL in a browser, which relative URLs resolve against; `undefined` in Node. */
const pageUrl = (): string | undefined => {
  const location = (globalThis as { location?: { href?: unknown; origin?: unknown } }).location
  if (typeof location?.origin !== 'string' || location.origin === 'null') return undefined
  return typeof location.href === 'string' ? location.href : location.origin
}

/**
 * The origin of a URL as the WHATWG URL parser reads it, resolved against `base` when given.
 * @returns The origin, or `undefined` for an unparseable URL or an opaque origin (`data:`, `file:`).
 * @example
 * ```ts
 * originOf('https://api.example.com/v1') // 'https://api.example.com'
 * originOf('api.example.com') // undefined
 * ```
 */
export const originOf = (url: string, base?: string): string | undefined => {
  try {
    const { origin } = new URL(url, base)
    return origin === 'null' ? undefined : origin
  } catch {
    return undefined
  }
}

function normalize(entry: AllowedOrigin): AllowedOrigin {
  if (entry instanceof RegExp) return entry
  const origin = typeof entry === 'string' ? originOf(entry) : undefined
  if (!origin) {
    throw new ConfigurationError('invalid-option', `allowedOrigins has an entry that is not an absolute origin (${JSON.stringify(entry)}): write it as 'https://api.example.com' or a RegExp.`)
  }
  return origin
}

/**
 * The origins that may receive the token: the base URL's origin, the page's own origin
 * (browser), and `allowedOrigins`. A target is parsed by the WHATWG URL parser against the
 * page's location, as the runtime parses it, so `/\evil.test`, `\\evil.test` or ` //evil.test`
 * land where a browser sends them. Anything unparseable (a relative URL in Node) is refused.
 * @param baseURL - The configured base URL, whose origin is allowed; resolved against the page.
 * @param allowedOrigins - Exact origins or RegExps tested on the origin.
 * @throws ConfigurationError `invalid-option` when `allowedOrigins` is not an array of origins and RegExps.
 * @example
 * ```ts
 * createAllowList('https://api.example.com', [/\.example\.com$/]).allowsUrl('https://evil.test/') // false
 * ```
 */
export function createAllowList(baseURL: string | undefined, allowedOrigins: readonly AllowedOrigin[] = []): AllowList {
  if (!Array.isArray(allowedOrigins)) {
    throw new ConfigurationError('invalid-option', `allowedOrigins must be an array (got ${typeof allowedOrigins}): write allowedOrigins: ['https://api.example.com'].`)
  }
  const allowed = allowedOrigins.map(normalize)
  const exact = new Set(allowed.filter((entry): entry is string => typeof entry === 'string'))
  const patterns = allowed.filter((entry): entry is RegExp => entry instanceof RegExp)
  const page = pageUrl()
  const pageOrigin = page ? originOf(page) : undefined
  if (pageOrigin) exact.add(pageOrigin)
  const baseOrigin = baseURL ? originOf(baseURL, page) : undefined
  if (baseOrigin) exact.add(baseOrigin)

  const allowsOrigin = (origin: string | undefined) =>
    origin !== undefined && (exact.has(origin) || patterns.some((pattern) => ((pattern.lastIndex = 0), pattern.test(origin))))

  // The common request (`/path` on the page, or `https://api…/path` on an allowed origin) is
  // decided without parsing; every other shape goes through the URL parser.
  const isPlainlyOn = (target: string) => {
    if (hostRelativePath.test(target)) return pageOrigin !== undefined
    for (const origin of exact) {
      if (target.startsWith(origin)) {
        const next = target.charCodeAt(origin.length)
        // `/`, `?`, `#` or the end: nothing can turn the rest into another host.
        if (Number.isNaN(next) || next === 47 || next === 63 || next === 35) return true
      }
    }
    return false
  }

  return {
    allowsTarget: (target) => isPlainlyOn(target) || allowsOrigin(originOf(target, page)),
    allowsUrl: (url) => allowsOrigin(originOf(url, page)),
  }
}
