import { ConfigurationError } from '../core'

/** An allowed origin: an exact origin string (`https://api.example.com`) or a RegExp tested on it. */
export type AllowedOrigin = string | RegExp

/** The parts of a request config that decide where it goes. */
export interface UrlParts {
  url?: string
  baseURL?: string
  allowAbsoluteUrls?: boolean
}

/** Decides whether a request, or a URL it was redirected to, may carry the token. */
export interface OriginPolicy {
  /** Whether the request described by `config` goes to an allowed origin. */
  allowsRequest(config: UrlParts): boolean
  /** Whether an absolute URL (a redirect target, a response's final URL) is on an allowed origin. */
  allowsUrl(url: string): boolean
}

// axios's own test for "absolute": a scheme followed by `//`, or a leading `//`.
const absoluteUrl = /^([a-z][a-z\d+\-.]*:)?\/\//i
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

const originOf = (url: string, base?: string): string | undefined => {
  try {
    const { origin } = new URL(url, base)
    return origin === 'null' ? undefined : origin
  } catch {
    return undefined
  }
}

/** The URL axios will send to, built as axios's `buildFullPath` builds it. */
export function fullPathOf({ url = '', baseURL, allowAbsoluteUrls }: UrlParts): string {
  if (!baseURL || (absoluteUrl.test(url) && allowAbsoluteUrls !== false)) return url
  return url ? `${baseURL.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : baseURL
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
 * Decides where the token may go: the attached instance's `baseURL` origin, the page's own
 * origin (browser), and `allowedOrigins`. The target is decided the way the runtime decides
 * it: the full URL is built as axios builds it, then parsed by the WHATWG URL parser against
 * the page's location, so `/\evil.test`, `\\evil.test` or ` //evil.test` land where a browser
 * sends them. Anything unparseable (a relative URL in Node) is refused.
 */
export function createOriginPolicy(instanceBaseURL: string | undefined, allowedOrigins: readonly AllowedOrigin[] = []): OriginPolicy {
  if (!Array.isArray(allowedOrigins)) {
    throw new ConfigurationError('invalid-option', `allowedOrigins must be an array (got ${typeof allowedOrigins}): write allowedOrigins: ['https://api.example.com'].`)
  }
  const allowed = allowedOrigins.map(normalize)
  const exact = new Set(allowed.filter((entry): entry is string => typeof entry === 'string'))
  const patterns = allowed.filter((entry): entry is RegExp => entry instanceof RegExp)
  const page = pageUrl()
  const pageOrigin = page ? originOf(page) : undefined
  if (pageOrigin) exact.add(pageOrigin)
  const instanceOrigin = instanceBaseURL ? originOf(instanceBaseURL, page) : undefined
  if (instanceOrigin) exact.add(instanceOrigin)

  const allowsOrigin = (origin: string | undefined) =>
    origin !== undefined && (exact.has(origin) || patterns.some((pattern) => ((pattern.lastIndex = 0), pattern.test(origin))))

  // The common request (`/path` on the page, or `https://api…/path` on an allowed origin) is
  // decided without parsing; every other shape goes through the URL parser.
  const isPlainlyOn = (fullPath: string) => {
    if (hostRelativePath.test(fullPath)) return pageOrigin !== undefined
    for (const origin of exact) {
      if (fullPath.startsWith(origin)) {
        const next = fullPath.charCodeAt(origin.length)
        // `/`, `?`, `#` or the end: nothing can turn the rest into another host.
        if (Number.isNaN(next) || next === 47 || next === 63 || next === 35) return true
      }
    }
    return false
  }

  return {
    allowsRequest(config) {
      const fullPath = fullPathOf(config)
      return isPlainlyOn(fullPath) || allowsOrigin(originOf(fullPath, page))
    },
    allowsUrl: (url) => allowsOrigin(originOf(url, page)),
  }
}
