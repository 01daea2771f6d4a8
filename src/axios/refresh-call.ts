import type { InternalAxiosRequestConfig } from 'axios'
import type { SessionPort } from '../core/internal'

// Characters a token is made of (base64, base64url, hex, percent-encoding): the refresh token
// counts as present only where none of these touches it, so a short one is not found inside a
// longer word.
const tokenCharacter = /[\w\-.~+/%]/

/** The spellings of `secret` a request can carry: as it is, and URL-encoded (query strings, form bodies). */
function spellingsOf(secret: string): ReadonlySet<string> {
  return new Set([secret, encodeURIComponent(secret), new URLSearchParams([['', secret]]).toString().slice(1)])
}

/** Whether the character beside a match ends the token there: the text's edge, or no token character. */
const delimits = (character: string | undefined) => character === undefined || !tokenCharacter.test(character)

function mentions(text: string, spellings: ReadonlySet<string>): boolean {
  for (const spelling of spellings) {
    for (let at = text.indexOf(spelling); at !== -1; at = text.indexOf(spelling, at + 1)) {
      if (delimits(text[at - 1]) && delimits(text[at + spelling.length])) return true
    }
  }
  return false
}

const isPlainObject = (value: object) => {
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** The values inside `value` that may hold the secret: strings are read, containers opened, the rest skipped. */
function childrenOf(value: object): Iterable<unknown> | undefined {
  if (Array.isArray(value)) return value
  if (value instanceof URLSearchParams) return value.values()
  if (typeof FormData !== 'undefined' && value instanceof FormData) return value.values()
  if (isPlainObject(value)) return Object.values(value)
  // Blobs, buffers, streams and class instances: not read (a stream would be consumed).
  return undefined
}

/** Whether `root` (a string, or containers of strings at any depth) mentions one of `spellings`. */
function holdsSecret(root: unknown, spellings: ReadonlySet<string>): boolean {
  const pending: unknown[] = [root]
  const opened = new Set<object>()
  while (pending.length > 0) {
    const value = pending.pop()
    if (typeof value === 'string') {
      if (mentions(value, spellings)) return true
      continue
    }
    if (typeof value !== 'object' || value === null || opened.has(value)) continue
    opened.add(value)
    const children = childrenOf(value)
    if (children) for (const child of children) pending.push(child)
  }
  return false
}

/**
 * Tells whether a request carries `secret`: in its body (a string, a JSON object at any depth,
 * `URLSearchParams`, `FormData`), its `params`, its URL or its headers, as it is or URL-encoded.
 * Binary and stream bodies are not read.
 *
 * @param config - The request, as the request interceptor sees it (before axios serialises the body).
 * @param secret - The value to look for; an empty string is never found.
 * @returns True when the secret appears, delimited, somewhere in the request.
 * @example
 * ```ts
 * carriesSecret({ data: { grant: { refresh_token: 'r-1234' } } } as InternalAxiosRequestConfig, 'r-1234') // true
 * ```
 */
export function carriesSecret(config: InternalAxiosRequestConfig, secret: string): boolean {
  if (secret === '') return false
  const spellings = spellingsOf(secret)
  const headers = typeof config.headers?.toJSON === 'function' ? config.headers.toJSON() : config.headers
  return [config.data, config.params, config.url, headers].some((part) => holdsSecret(part, spellings))
}

/**
 * Tells whether a request sent while a refresh is in flight is that refresh's own call: it
 * presents the refresh token being exchanged. Such a call, sent through an attached instance
 * after an `await` and without the refresh's `signal`, would otherwise wait behind the very
 * refresh it belongs to. Costs one property read when no refresh runs.
 *
 * @param session - The session whose refresh may be in flight.
 * @param config - The request, as the request interceptor sees it.
 * @returns True when the request must go now, without the access token, and never refresh on a 401.
 */
export function isOwnRefreshCall(session: SessionPort, config: InternalAxiosRequestConfig): boolean {
  const presented = session.refreshTokenInFlight
  return presented !== undefined && carriesSecret(config, presented)
}
