import { redact } from './logger'

// Longer strings may be tokens: a summary shows them as their last 4 characters only.
const MAX_PLAIN_STRING = 8
const MAX_SUMMARY_KEYS = 6

const summarizeValue = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value.length > MAX_PLAIN_STRING ? redact(value) : value)
  if (typeof value === 'function') return '[function]'
  if (Array.isArray(value)) return `[${value.length} items]`
  if (typeof value === 'object' && value !== null) return '{…}'
  return String(value)
}

/** A short, token-free picture of a thrown non-Error: `{ error: "…rant", status: 400 }`. */
const summarize = (thrown: unknown): string => {
  if (typeof thrown !== 'object' || thrown === null || Array.isArray(thrown)) return summarizeValue(thrown)
  try {
    const keys = Object.keys(thrown)
    if (keys.length === 0) return '{}'
    const shown = keys.slice(0, MAX_SUMMARY_KEYS).map((key) => `${key}: ${summarizeValue((thrown as Record<string, unknown>)[key])}`)
    if (keys.length > MAX_SUMMARY_KEYS) shown.push('…')
    return `{ ${shown.join(', ')} }`
  } catch {
    // A Proxy or a throwing getter: the value is still kept as the cause.
    return '[object]'
  }
}

/**
 * Turns anything thrown into an Error, so that `cause` is always an Error. An Error is returned
 * as it is. Anything else is wrapped, and the wrapper keeps the original value as its own
 * `cause`: a refresh function that rejects with `{ error: 'invalid_grant' }` gives a
 * `RefreshFailedError` (or `LoginRequiredError`) whose `cause.cause` is that very object. The
 * wrapper's message is a thrown string itself, or else a short summary of the value (its keys,
 * numbers and booleans; strings longer than 8 characters only by their last 4, so no token
 * reaches a message or a log).
 *
 * @param thrown - Anything caught.
 * @returns `thrown` when it is an Error, else an Error whose `cause` is `thrown`.
 * @example
 * ```ts
 * const error = toError({ error: 'invalid_grant' })
 * error.message // 'Non-error value thrown: { error: "…rant" }'
 * error.cause // { error: 'invalid_grant' }
 * ```
 */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown
  const message = typeof thrown === 'string' ? thrown : `Non-error value thrown: ${summarize(thrown)}`
  return new Error(message, { cause: thrown })
}
