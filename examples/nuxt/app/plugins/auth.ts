import axios from 'axios'
import { createAuthClient } from 'axios-reauth'
import { authPlugin } from 'axios-reauth/vue'

/**
 * Provides `$api` and `$auth`. A Nuxt plugin runs once per app instance: once in the browser,
 * and once per request on the server, so every server render gets a client of its own and no
 * user's tokens reach another's render. Never create the client at module scope here.
 */
export default defineNuxtPlugin((nuxtApp) => {
  const { apiUrl } = useRuntimeConfig().public
  const api = axios.create({ baseURL: apiUrl })
  const auth = createAuthClient({
    refresh: async ({ refreshToken, signal }) => {
      const { data } = await axios.post(`${apiUrl}/auth/refresh`, { refreshToken }, { signal })
      return { accessToken: data.access_token, refreshToken: data.refresh_token, expiresIn: data.expires_in }
    },
  })
  auth.attach(api)
  // The login redirect is the browser's business; a server render just renders signed out.
  nuxtApp.vueApp.use(authPlugin, import.meta.client ? { client: auth, router: useRouter() } : auth)
  if (import.meta.server) nuxtApp.hook('app:rendered', () => auth.dispose())
  return { provide: { api, auth } }
})
