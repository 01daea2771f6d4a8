import axios from 'axios'
import { createAuthClient } from 'axios-reauth'

// The page and its API share an origin here; pass your API's URL instead.
const baseURL = location.origin

export const api = axios.create({ baseURL })

// No onLoginRequired here: the router's views import this module before the router exists, so
// the redirect is installed by authPlugin with { router } (see main.ts).
export const auth = createAuthClient({
  refresh: async ({ refreshToken, signal }) => {
    const { data } = await axios.post(`${baseURL}/auth/refresh`, { refreshToken }, { signal })
    return { accessToken: data.access_token, refreshToken: data.refresh_token, expiresIn: data.expires_in }
  },
})
auth.attach(api)

export async function logIn(username: string, password: string): Promise<void> {
  const { data } = await axios.post(`${baseURL}/auth/login`, { username, password })
  auth.setTokens({ accessToken: data.access_token, refreshToken: data.refresh_token, expiresIn: data.expires_in })
}
