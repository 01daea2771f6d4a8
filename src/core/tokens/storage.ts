import { crossTab, type CrossTab } from '../tabs/cross-tab'
import type { Tokens } from '../types'

/**
 * Where a session keeps its tokens. Methods may be synchronous or return promises; a storage
 * that fails is reported and otherwise ignored, since losing persistence must not sign a user out.
 */
export interface TokenStorage {
  /** The stored tokens, or `undefined`/`null` when there are none or they are unreadable. */
  get(): Tokens | undefined | null | Promise<Tokens | undefined | null>
  /** Keeps the tokens, replacing any stored before. */
  set(tokens: Tokens): void | Promise<void>
  /** Forgets the tokens. */
  clear(): void | Promise<void>
  /** True when every tab of the origin sees the same tokens here (localStorage), so tabs coordinate by default. */
  readonly sharedAcrossTabs?: boolean
  /**
   * How the tabs that share this storage coordinate: what a client uses when the storage is
   * `sharedAcrossTabs` and its `crossTab` option is left out. `webStorage()` carries
   * `crossTab()`; a storage of your own that is shared by the tabs needs one too, or the tabs
   * would spend each other's rotated refresh tokens.
   */
  readonly crossTab?: CrossTab
}

/**
 * Keeps tokens in memory only: the default, and the safest against XSS (nothing for injected
 * script to read from web storage). Tokens are gone when the page reloads.
 *
 * @returns A storage that lives as long as the client.
 * @example
 * ```ts
 * createAuthClient({ refresh, storage: memoryStorage() })
 * ```
 */
export function memoryStorage(): TokenStorage {
  let stored: Tokens | undefined
  return {
    get: () => stored,
    set(tokens) {
      stored = tokens
    },
    clear() {
      stored = undefined
    },
  }
}

/** The part of the Web Storage API that {@link webStorage} uses. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

const isTokens = (value: unknown): value is Tokens => {
  const { accessToken, refreshToken, expiresAt } = (value ?? {}) as Record<string, unknown>
  return (
    typeof accessToken === 'string' &&
    accessToken.length > 0 &&
    (refreshToken === undefined || typeof refreshToken === 'string') &&
    (expiresAt === undefined || typeof expiresAt === 'number')
  )
}

/**
 * Keeps tokens in `localStorage` or `sessionStorage` under `key`, so they survive a reload and
 * (for localStorage) are shared by the tabs of an origin, which then coordinate through
 * `crossTab()` (carried here, so that only apps with shared storage ship it). Anything the browser throws (storage
 * disabled, quota exceeded, private mode) and anything unreadable in the key (corrupted or
 * foreign JSON) counts as "no tokens": never a crash.
 *
 * @param storage - `localStorage`, `sessionStorage`, any object with the same three methods, or a
 *   function returning one: `() => localStorage` defers the lookup, which itself throws in a
 *   browser that blocks storage.
 * @param key - The key to use. @default 'axios-reauth'
 * @returns A storage backed by it.
 * @example
 * ```ts
 * createAuthClient({ refresh, storage: webStorage(localStorage, 'my-app.tokens') })
 * ```
 */
export function webStorage(storage: StorageLike | (() => StorageLike), key = 'axios-reauth'): TokenStorage & { readonly key: string } {
  const target = () => (typeof storage === 'function' ? storage() : storage)
  return {
    key,
    crossTab: crossTab(),
    get sharedAcrossTabs() {
      try {
        return target() === (globalThis as { localStorage?: unknown }).localStorage
      } catch {
        return false
      }
    },
    get() {
      try {
        const value: unknown = JSON.parse(target().getItem(key) ?? 'null')
        return isTokens(value) ? value : undefined
      } catch {
        return undefined
      }
    },
    set(tokens) {
      target().setItem(key, JSON.stringify(tokens))
    },
    clear() {
      target().removeItem(key)
    },
  }
}
