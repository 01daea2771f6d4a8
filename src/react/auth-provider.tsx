import { ConfigurationError, createAuthStore, type AuthClient, type AuthStore, type Tokens } from 'axios-reauth'
import { createContext, useContext, useMemo, type ReactNode } from 'react'

/** What the provider hands down: one store per client, and actions that keep their identity. */
export interface AuthContextValue {
  readonly client: AuthClient
  readonly store: AuthStore
  readonly logout: () => void
  readonly refresh: () => Promise<Tokens>
}

const AuthContext = createContext<AuthContextValue | null>(null)

/** Props of {@link AuthProvider}. */
export interface AuthProviderProps {
  /** The client from `createAuthClient()`; attach it to your axios instances yourself, once. */
  client: AuthClient
  /** `isExpiring` turns true this long before the access token expires. @default 60000 */
  expiringWithinMs?: number
  /**
   * Fill `lastDiagnosis` in {@link useAuth}: the client then explains every 401 for the UI.
   * Off, nothing is diagnosed for it and `lastDiagnosis` stays `undefined`. @default false
   */
  trackDiagnosis?: boolean
  children?: ReactNode
}

/**
 * Makes an auth client available to {@link useAuth} below it. It never attaches, refreshes or
 * subscribes on its own: the store listens to the session only while components read it, so a
 * StrictMode double render or double effect changes nothing.
 *
 * @param props - `client`, optional `expiringWithinMs` and `trackDiagnosis`, and `children`.
 * @returns The provider element.
 * @throws ConfigurationError `invalid-option` when `expiringWithinMs` is not a non-negative number
 * or `trackDiagnosis` not a boolean.
 * @example
 * ```tsx
 * const auth = createAuthClient({ refresh })
 * auth.attach(api)
 * createRoot(root).render(<AuthProvider client={auth}><App /></AuthProvider>)
 * // to show why the latest 401 happened: <AuthProvider client={auth} trackDiagnosis>
 * ```
 */
export function AuthProvider({ client, expiringWithinMs, trackDiagnosis, children }: AuthProviderProps) {
  const value = useMemo<AuthContextValue>(
    () => ({
      client,
      store: createAuthStore(client, { expiringWithinMs, trackDiagnosis }),
      logout: () => client.clearTokens(),
      refresh: () => client.refresh(),
    }),
    [client, expiringWithinMs, trackDiagnosis],
  )
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

/** Reads the provider's value, or throws an error naming the hook that needed it. */
export function useAuthContext(hook: string): AuthContextValue {
  const value = useContext(AuthContext)
  if (!value) {
    throw new ConfigurationError('invalid-option', `${hook} needs an <AuthProvider client={auth}> above it: wrap your app in it.`)
  }
  return value
}

/**
 * The auth client given to the nearest {@link AuthProvider}. Unlike {@link useAuth}, it does not
 * re-render when the session changes.
 *
 * @returns The client.
 * @throws ConfigurationError `invalid-option` outside an `<AuthProvider>`.
 * @example
 * ```tsx
 * const auth = useAuthClient()
 * const onLogin = (tokens: Tokens) => auth.setTokens(tokens)
 * ```
 */
export function useAuthClient(): AuthClient {
  return useAuthContext('useAuthClient()').client
}
