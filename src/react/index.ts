'use client'

export { AuthProvider, useAuthClient, type AuthProviderProps } from './auth-provider'
export { useAuth, type UseAuthResult } from './use-auth'
export { loginRedirect, returnTo, type NavigateLike, type ReactLoginRedirectOptions } from './login-redirect'
