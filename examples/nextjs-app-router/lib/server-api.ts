import axios from 'axios'
import { createAuthClient } from 'axios-reauth'
import { API_URL } from './config'

/** The cookies of the request being rendered, as `await cookies()` gives them. */
interface RequestCookies {
  get(name: string): { value: string } | undefined
}

/**
 * One axios instance and one auth client per request, made inside the request. Never create
 * them at module scope on the server: a module is shared by every user the process serves, so
 * one user's tokens would go out with the next user's requests. The default memory storage
 * keeps each client's tokens to itself; never `webStorage(localStorage)` here.
 */
export function createServerApi(cookies: RequestCookies) {
  const accessToken = cookies.get('access_token')?.value
  const refreshToken = cookies.get('refresh_token')?.value
  const api = axios.create({ baseURL: API_URL })
  const auth = createAuthClient({
    tokens: accessToken ? { accessToken, refreshToken } : undefined,
    refresh: async ({ refreshToken: token, signal }) => {
      const { data } = await axios.post(`${API_URL}/auth/refresh`, { refreshToken: token }, { signal })
      // A Server Component cannot set cookies: the new tokens serve this render only. Refresh in a
      // Route Handler or Server Action when the browser must keep them.
      return { accessToken: data.access_token, refreshToken: data.refresh_token, expiresIn: data.expires_in }
    },
  })
  auth.attach(api)
  return { api, auth }
}
