import { createAllowList, type AllowedOrigin } from '../core/origin/allow-list'

export type { AllowedOrigin }

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
const schemeAbsoluteUrl = /^[a-z][a-z\d+\-.]*:\/\//i

/** The URL axios will send to, built as axios's `buildFullPath` builds it. */
export function fullPathOf({ url = '', baseURL, allowAbsoluteUrls }: UrlParts): string {
  if (!baseURL || (absoluteUrl.test(url) && allowAbsoluteUrls !== false)) return url
  return url ? `${baseURL.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : baseURL
}

/**
 * Decides where the token may go: the attached instance's `baseURL` origin, the page's own
 * origin (browser), and `allowedOrigins`. The target is decided the way the runtime decides
 * it: the full URL is built as axios builds it, then parsed by the WHATWG URL parser against
 * the page's location, so `/\evil.test`, `\\evil.test` or ` //evil.test` land where a browser
 * sends them. Anything unparseable (a relative URL in Node) is refused.
 */
export function createOriginPolicy(instanceBaseURL: string | undefined, allowedOrigins?: readonly AllowedOrigin[]): OriginPolicy {
  const { allowsTarget, allowsUrl } = createAllowList(instanceBaseURL, allowedOrigins)
  // The instance's own absolute base URL is allowed, and a path appended to it stays on its
  // origin: the `/` that joins them ends the host as the end of the string did. (A relative base
  // is not: `'/'` joined to `'\\evil.test'` makes `'/\\evil.test'`, another host for the browser.)
  // So the common request is decided without building its URL.
  const instanceBaseAllowed = typeof instanceBaseURL === 'string' && schemeAbsoluteUrl.test(instanceBaseURL) && allowsUrl(instanceBaseURL)
  const isRelativeToInstance = ({ url = '', baseURL, allowAbsoluteUrls }: UrlParts) =>
    instanceBaseAllowed && baseURL === instanceBaseURL && (allowAbsoluteUrls === false || !absoluteUrl.test(url))
  return { allowsRequest: (config) => isRelativeToInstance(config) || allowsTarget(fullPathOf(config)), allowsUrl }
}
