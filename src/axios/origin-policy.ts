import { ConfigurationError } from '../core'

/** An allowed origin: an exact origin string (`https://api.example.com`) or a RegExp tested on it. */
export type AllowedOrigin = string | RegExp

interface UrlParts {
  url?: string
  baseURL?: string
  allowAbsoluteUrls?: boolean
}

const absoluteUrl = /^([a-z][a-z\d+\-.]*:)?\/\//i

/** The page's origin in a browser; `undefined` in Node, where relative URLs have no origin. */
const pageOrigin = (): string | undefined => {
  const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin
  return typeof origin === 'string' && origin !== 'null' ? origin : undefined
}

const originOf = (url: string, base?: string): string | undefined => {
  try {
    return new URL(url, base ?? pageOrigin()).origin
  } catch {
    return undefined
  }
}

function normalize(entry: AllowedOrigin): AllowedOrigin {
  if (entry instanceof RegExp) return entry
  const origin = typeof entry === 'string' ? originOf(entry) : undefined
  if (!origin || origin === 'null') {
    throw new ConfigurationError('invalid-option', `allowedOrigins has an entry that is not an absolute origin (${JSON.stringify(entry)}): write it as 'https://api.example.com' or a RegExp.`)
  }
  return origin
}

/**
 * Decides whether a request may carry the token: only to the attached instance's `baseURL`
 * origin, the page's own origin (browser), and `allowedOrigins`. Anything unparseable is
 * refused, so a token can only leak by an explicit allow.
 */
export function createOriginPolicy(instanceBaseURL: string | undefined, allowedOrigins: readonly AllowedOrigin[] = []) {
  const allowed = allowedOrigins.map(normalize)
  const exact = new Set(allowed.filter((entry): entry is string => typeof entry === 'string'))
  const patterns = allowed.filter((entry): entry is RegExp => entry instanceof RegExp)
  const instanceOrigin = instanceBaseURL ? originOf(instanceBaseURL) : undefined
  if (instanceOrigin) exact.add(instanceOrigin)
  const page = pageOrigin()
  if (page) exact.add(page)
  // A handful of baseURLs at most: their origins are parsed once, not per request.
  const baseOrigins = new Map<string, string | undefined>()

  const allowsOrigin = (origin: string | undefined) =>
    origin !== undefined && (exact.has(origin) || patterns.some((pattern) => (pattern.lastIndex = 0, pattern.test(origin))))

  return (config: UrlParts): boolean => {
    const url = config.url ?? ''
    const { baseURL } = config
    if (absoluteUrl.test(url) && (config.allowAbsoluteUrls !== false || !baseURL)) return allowsOrigin(originOf(url))
    if (!baseURL) return allowsOrigin(page)
    let origin = baseOrigins.get(baseURL)
    if (!baseOrigins.has(baseURL)) baseOrigins.set(baseURL, (origin = originOf(baseURL)))
    return allowsOrigin(origin)
  }
}
