export { createAuthClient, type AuthClient, type AuthClientOptions } from './auth-client'
export type { AllowedOrigin } from './origin-policy'
export type { ReauthRequestOptions } from './request-options'
