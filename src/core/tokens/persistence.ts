import { toError } from '../support/to-error'
import type { Logger } from '../support/logger'
import type { TokenStorage } from './storage'
import { normalizeTokens } from './tokens'
import type { Tokens } from '../types'

/** A storage seen through the session's eyes: never throws, never rejects, never returns junk. */
export interface TokenPersistence {
  /** The stored tokens, now for a synchronous storage or later for an asynchronous one. */
  load(): Tokens | undefined | Promise<Tokens | undefined>
  /** Reads again (another tab may have written meanwhile); `undefined` when none or unreadable. */
  reread(): Promise<Tokens | undefined>
  /** Stores the tokens, or clears them for `undefined`. */
  save(tokens: Tokens | undefined): void
  /** Every tab of the origin sees the same storage. */
  readonly sharedAcrossTabs: boolean
}

/**
 * Wraps a {@link TokenStorage} so that a failing one (quota, disabled, a custom storage that
 * throws or returns something that is not tokens) is reported once per failure and otherwise
 * treated as empty: losing persistence must not sign a user out, nor crash the app.
 */
export function createTokenPersistence(storage: TokenStorage, logger: Logger, now: () => number): TokenPersistence {
  const warn = (error: unknown) =>
    logger.warn('[axios-reauth] The token storage failed; tokens are kept in memory for this page.', toError(error).message)

  const accept = (value: unknown): Tokens | undefined => {
    if (!value) return undefined
    try {
      return normalizeTokens(value, now(), 'setTokens')
    } catch (error) {
      warn(error)
      return undefined
    }
  }

  return {
    get sharedAcrossTabs() {
      return Boolean(storage.sharedAcrossTabs)
    },
    load() {
      try {
        const stored = storage.get()
        return stored instanceof Promise ? stored.then(accept, (error: unknown) => void warn(error)) : accept(stored)
      } catch (error) {
        warn(error)
        return undefined
      }
    },
    async reread() {
      try {
        return accept(await storage.get())
      } catch {
        return undefined
      }
    },
    save(tokens) {
      try {
        void Promise.resolve(tokens ? storage.set(tokens) : storage.clear()).catch(warn)
      } catch (error) {
        warn(error)
      }
    },
  }
}
