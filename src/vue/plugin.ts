import { ConfigurationError, createAuthStore, type AuthClient, type AuthStore } from 'axios-reauth'
import type { App, InjectionKey } from 'vue'
import { loginRedirect, type LoginRedirectOptions, type RouterLike } from './login-redirect'

/** Options of {@link authPlugin}, for when the client alone is not enough. */
export interface AuthPluginOptions {
  /** The client from `createAuthClient()`; attach it to your axios instances yourself, once. */
  client: AuthClient
  /** `isExpiring` turns true this long before the access token expires. @default 60000 */
  expiringWithinMs?: number
  /**
   * Fill `lastDiagnosis` in {@link useAuth}: the client then explains every 401 for the UI.
   * Off, nothing is diagnosed for it and `lastDiagnosis` stays `undefined`. @default false
   */
  trackDiagnosis?: boolean
  /**
   * The app's vue-router: the plugin then sends the user to the login page when the session
   * ends, as {@link loginRedirect} does. Leave `onLoginRequired: loginRedirect(...)` out of
   * `createAuthClient()` then, or the user is sent twice. @default undefined (no redirect)
   */
  router?: RouterLike
  /** Where `router` sends the user: `loginRoute` and `returnToQuery`. @default { loginRoute: '/login', returnToQuery: 'returnTo' } */
  loginRedirect?: LoginRedirectOptions
}

/** What the plugin provides to the app. */
export interface AuthInjection {
  readonly client: AuthClient
  readonly store: AuthStore
}

/** Where the plugin provides the client and its store. */
export const authKey: InjectionKey<AuthInjection> = Symbol('axios-reauth')

const isClient = (value: unknown): value is AuthClient =>
  typeof value === 'object' && value !== null && 'session' in value

/**
 * Provides an auth client to every component of an app, for {@link useAuth}. It never attaches
 * or refreshes; the store listens to the session only while components read it, and is
 * destroyed with the app. Given `{ router }`, it also installs the login redirect, which is the
 * way to wire it when the module creating the client is imported by the router's views.
 *
 * @throws ConfigurationError `invalid-option` when given neither a client nor `{ client }`, a
 * `router` without `push`, or options `createAuthStore` refuses.
 * @example
 * ```ts
 * const auth = createAuthClient({ refresh, onLoginRequired: loginRedirect(router) })
 * auth.attach(api)
 * createApp(App).use(router).use(authPlugin, auth).mount('#app')
 * // or: app.use(authPlugin, { client: auth, expiringWithinMs: 30_000, trackDiagnosis: true })
 * // or, with no onLoginRequired in createAuthClient(): app.use(authPlugin, { client: auth, router })
 * ```
 */
export const authPlugin = {
  /** Provides the client to every component of `app`; called by `app.use(authPlugin, …)`. */
  install(app: App, clientOrOptions: AuthClient | AuthPluginOptions): void {
    const options = isClient(clientOrOptions) ? { client: clientOrOptions } : clientOrOptions
    if (!isClient(options?.client)) {
      throw new ConfigurationError('invalid-option', `app.use(authPlugin, auth) needs the client from createAuthClient() (got ${options === null ? 'null' : typeof options} without a session): pass it, or { client: auth }.`)
    }
    const { client, expiringWithinMs, trackDiagnosis, router } = options
    if (router !== undefined && typeof router?.push !== 'function') {
      throw new ConfigurationError('invalid-option', 'app.use(authPlugin, { client, router }) needs a vue-router for router (got one without push()): pass the router from createRouter(), or leave router out.')
    }
    const store = createAuthStore(client, { expiringWithinMs, trackDiagnosis })
    app.provide(authKey, { client, store })
    const stopRedirect = router ? client.on('loginRequired', loginRedirect(router, options.loginRedirect)) : undefined
    const release = () => {
      stopRedirect?.()
      store.destroy()
    }
    // onUnmount exists from Vue 3.5; before it, unmount() itself is followed, or the redirect
    // would outlive the app.
    if (app.onUnmount) app.onUnmount(release)
    else {
      const unmount = app.unmount.bind(app)
      app.unmount = () => {
        unmount()
        release()
      }
    }
  },
}
