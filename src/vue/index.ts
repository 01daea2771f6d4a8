export { authPlugin, type AuthPluginOptions } from './plugin'
export { useAuth, type AuthRefs, type UseAuthResult } from './use-auth'
export { loginRedirect, returnTo, type LoginRedirectOptions, type RouteLike, type RouterLike } from './login-redirect'
