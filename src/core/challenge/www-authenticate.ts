/** One authentication challenge from a WWW-Authenticate (or Proxy-Authenticate) header. */
export interface AuthChallenge {
  /** Auth scheme exactly as sent (e.g. `Bearer`); compare it case-insensitively. */
  scheme: string
  /** Auth-params keyed by lower-cased name, values unescaped; a null-prototype object. */
  params: Record<string, string>
  /** Token68 credential data (e.g. the `abc==` of `Negotiate abc==`); `params` is then empty. */
  token68?: string
}

const TCHAR = /[-!#$%&'*+.^_`|~0-9A-Za-z]/
const TOKEN68_CHAR = /[-._~+/0-9A-Za-z]/

const isTchar = (c: string): boolean => TCHAR.test(c)
const isToken68Char = (c: string): boolean => TOKEN68_CHAR.test(c)
const isWhitespace = (c: string): boolean => c === ' ' || c === '\t'

// Schemes and parameter names are ASCII tokens; String#toLowerCase would also fold
// non-ASCII look-alikes such as the Kelvin sign into ASCII letters.
const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase())

function skipWhile(s: string, i: number, test: (c: string) => boolean): number {
  while (i < s.length && test(s.charAt(i))) i++
  return i
}

/** Unescaped content of the quoted-string opening at `i`, or undefined when it never closes. */
function readQuoted(s: string, i: number): { value: string; end: number } | undefined {
  let value = ''
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charAt(j)
    if (c === '"') return { value, end: j + 1 }
    // quoted-pair: the backslash only protects the next character.
    if (c === '\\') j++
    value += s.charAt(j)
  }
  return undefined
}

// Recovery from junk resumes at the next list separator, but a comma inside a
// quoted string is data, so quotes must be stepped over as a whole.
function skipToComma(s: string, i: number): number {
  while (i < s.length && s.charAt(i) !== ',') {
    if (s.charAt(i) === '"') i = readQuoted(s, i)?.end ?? s.length
    else i++
  }
  return i
}

// token68 is only legal as the whole remainder of a list element; otherwise
// the same characters are the start of an auth-param, so report "no match".
function readToken68(s: string, i: number, target: AuthChallenge): number | undefined {
  const charsEnd = skipWhile(s, i, isToken68Char)
  const paddingEnd = skipWhile(s, charsEnd, (c) => c === '=')
  const end = skipWhile(s, paddingEnd, isWhitespace)
  if (charsEnd === i || (end < s.length && s.charAt(end) !== ',')) return undefined
  target.token68 = s.slice(i, paddingEnd)
  return end
}

function readParam(s: string, i: number, target: AuthChallenge | undefined): number {
  const nameEnd = skipWhile(s, i, isTchar)
  let j = skipWhile(s, nameEnd, isWhitespace)
  if (nameEnd === i || s.charAt(j) !== '=') return skipToComma(s, j)
  j = skipWhile(s, j + 1, isWhitespace)
  let value: string | undefined
  if (s.charAt(j) === '"') {
    const quoted = readQuoted(s, j)
    value = quoted?.value
    j = quoted?.end ?? s.length
  } else {
    const valueEnd = skipWhile(s, j, isTchar)
    if (valueEnd > j) value = s.slice(j, valueEnd)
    j = valueEnd
  }
  const name = asciiLower(s.slice(i, nameEnd))
  // A param may not follow token68, and a truncated value is not trustworthy.
  if (target && target.token68 === undefined && value !== undefined && !Object.hasOwn(target.params, name)) {
    target.params[name] = value
  }
  return skipToComma(s, j)
}

function parseFieldValue(s: string, out: AuthChallenge[]): void {
  let current: AuthChallenge | undefined
  let i = 0
  while (i < s.length) {
    // Empty list elements are allowed anywhere (RFC 9110 section 5.6.1).
    i = skipWhile(s, i, (c) => c === ',' || isWhitespace(c))
    if (i >= s.length) break
    const tokenEnd = skipWhile(s, i, isTchar)
    const afterSpace = skipWhile(s, tokenEnd, isWhitespace)
    // Both a new challenge and a further param of the current one follow a comma;
    // only the "=" after the token tells them apart.
    if (tokenEnd === i || s.charAt(afterSpace) === '=') {
      i = readParam(s, i, current)
      continue
    }
    // Null prototype, so names like "__proto__" or "constructor" stay plain data.
    current = { scheme: s.slice(i, tokenEnd), params: Object.create(null) as Record<string, string> }
    out.push(current)
    // The grammar requires a space between the scheme and whatever it carries.
    i = afterSpace === tokenEnd
      ? skipToComma(s, afterSpace)
      : readToken68(s, afterSpace, current) ?? readParam(s, afterSpace, current)
  }
}

/**
 * Parses WWW-Authenticate or Proxy-Authenticate field values into their challenges (RFC 9110 section 11).
 *
 * Tolerant and linear-time: it never throws and keeps whatever parses. Repeated headers may be passed
 * as an array (each value is parsed on its own, so an unterminated quote cannot swallow the next one).
 * Non-string input gives `[]`; empty list elements are skipped; a param whose value is missing or has
 * an unterminated quote is dropped; the first of duplicate param names wins; params after a token68 are
 * ignored. Per the grammar, a lone `name=` right after the scheme is a token68, not a param.
 *
 * @param header - The field value, an array of repeated field values, or nullish.
 * @returns The challenges in order, schemes as sent, param names lower-cased, values unescaped.
 * @example
 * ```ts
 * import { parseWwwAuthenticate } from 'axios-reauth'
 *
 * const [bearer] = parseWwwAuthenticate('Bearer realm="api", error="invalid_token"')
 * bearer?.params.error // "invalid_token"
 * ```
 */
export function parseWwwAuthenticate(header: string | readonly string[] | null | undefined): AuthChallenge[] {
  const values: readonly unknown[] = typeof header === 'string' ? [header] : Array.isArray(header) ? header : []
  const challenges: AuthChallenge[] = []
  for (const value of values) {
    if (typeof value === 'string') parseFieldValue(value, challenges)
  }
  return challenges
}

/**
 * Finds the first challenge whose scheme matches `scheme` ASCII-case-insensitively.
 *
 * Only whole schemes match (`Bear` does not find `Bearer`), and non-ASCII look-alike letters never match.
 *
 * @param challenges - Challenges, usually from {@link parseWwwAuthenticate}.
 * @param scheme - The auth scheme to look for, in any case.
 * @returns The first matching challenge, or `undefined` when there is none.
 * @example
 * ```ts
 * import { findChallenge, parseWwwAuthenticate } from 'axios-reauth'
 *
 * const dpop = findChallenge(parseWwwAuthenticate('Bearer, DPoP error="use_dpop_nonce"'), 'dpop')
 * dpop?.params.error // "use_dpop_nonce"
 * ```
 */
export function findChallenge(challenges: readonly AuthChallenge[], scheme: string): AuthChallenge | undefined {
  const wanted = asciiLower(scheme)
  return challenges.find((challenge) => asciiLower(challenge.scheme) === wanted)
}
