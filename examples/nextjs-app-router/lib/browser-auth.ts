import axios from 'axios'
import { createAuthClient } from 'axios-reauth'
import { API_URL } from './config'

/**
 * The browser's client: made once per tab by the client-side provider (never on the server,
 * where a module-level client would be shared by every visitor). The refresh token lives in an
 * httpOnly cookie, so the access token is kept in memory only.
 */
export function createBrowserApi() {
  const api = axios.create({ baseURL: API_URL, withCredentials: true })
  const auth = createAuthClient({
    refreshTokenInCookie: true,
    // A separate axios call with the signal, so the refresh never waits behind itself.
    refresh: async ({ signal }) => {
      const { data } = await axios.post(`${API_URL}/auth/refresh`, null, { signal, withCredentials: true, headers: { 'x-csrf': '1' } })
      return { accessToken: data.access_token, expiresIn: data.expires_in }
    },
    onLoginRequired: () => window.location.assign('/login'),
  })
  auth.attach(api)
  return { api, auth }
}
