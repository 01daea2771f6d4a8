/** Where axios-reauth writes what it has to say; `console` fits. */
export interface Logger {
  /** Diagnoses and traces, written only with `debug: true`. */
  debug(...data: unknown[]): void
  /** Misconfigurations and failures the app should hear about. */
  warn(...data: unknown[]): void
}

/**
 * A logger that says nothing, for when `debug` is off.
 * @example
 * ```ts
 * createAuthClient({ refresh, logger: silentLogger })
 * ```
 */
export const silentLogger: Logger = Object.freeze({ debug() {}, warn() {} })

/**
 * Shows a token as its last 4 characters only, enough to tell two tokens apart in a log and
 * useless to anyone who reads it.
 *
 * @param token - A token or `undefined`.
 * @returns `…abcd`, or `(none)`.
 * @example
 * ```ts
 * redact('eyJhbGciOi.payload.signature') // '…ture'
 * ```
 */
export function redact(token: string | undefined | null): string {
  if (!token) return '(none)'
  return token.length <= 8 ? '…' : `…${token.slice(-4)}`
}
