import { cookies } from 'next/headers'
import { isReauthError } from 'axios-reauth'
import { createServerApi } from '../lib/server-api'
import { SessionBadge } from './session-badge'

// Rendered per request: the server's client is made for this request and dropped after it.
export const dynamic = 'force-dynamic'

export default async function Page() {
  const { api, auth } = createServerApi(await cookies())
  try {
    const { data } = await api.get<{ id: string }>('/api/items/1')
    return (
      <main>
        <SessionBadge />
        <p>Item {data.id}, fetched on the server with this request&apos;s token.</p>
      </main>
    )
  } catch (error) {
    if (isReauthError(error) && error.code === 'login-required') return <main><SessionBadge /><a href="/login">Sign in</a></main>
    throw error
  } finally {
    auth.dispose()
  }
}
