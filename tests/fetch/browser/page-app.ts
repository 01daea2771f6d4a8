// The page of tests/fetch/browser/page-origin.test.ts: the built fetch entry in a real page.
// `window.run(other)` sends three requests and reports what each got.
import { createAuthFetch, createAuthSession } from 'axios-reauth/fetch'

declare global {
  interface Window {
    run(other: string): Promise<{ refreshCalls: number; relative: number; foreign: number; redirected: { status: number; url: string }; status: string }>
  }
}

window.run = async (other) => {
  let refreshCalls = 0
  const auth = createAuthSession({
    tokens: { accessToken: 'page-access-0001', refreshToken: 'page-refresh-0001' },
    refresh: async () => {
      refreshCalls += 1
      return { accessToken: 'page-access-0002', refreshToken: 'page-refresh-0002' }
    },
  })
  // No baseURL: the page's own origin is where the token goes.
  const authFetch = createAuthFetch(auth)
  const relative = (await authFetch('/api/me')).status
  const foreign = (await authFetch(`${other}/open`)).status
  const moved = await authFetch('/api/moved')
  return { refreshCalls, relative, foreign, redirected: { status: moved.status, url: moved.url }, status: auth.status }
}
