import { useQuery } from '@tanstack/react-query'
import { useAuth } from 'axios-reauth/react'
import { api, logIn } from './api'

function Item() {
  const item = useQuery({ queryKey: ['item', 1], queryFn: async () => (await api.get<{ id: string; at: number }>('/api/items/1')).data })
  if (item.isPending) return <p>Loading…</p>
  if (item.isError) return <p data-testid="item-error">{item.error.name}</p>
  return (
    <p>
      Item <span data-testid="item">{item.data.id}</span> at <span data-testid="item-at">{item.data.at}</span>{' '}
      <button data-testid="refetch" onClick={() => void item.refetch()}>Refetch</button>
    </p>
  )
}

export function App() {
  const { status, claims } = useAuth()
  if (status === 'unauthenticated') {
    return (
      <main data-testid="login-page">
        <button data-testid="login" onClick={() => void logIn('ada', 'secret')}>Sign in as Ada</button>
      </main>
    )
  }
  return (
    <main>
      <p>
        Signed in as <span data-testid="user">{claims?.sub}</span> (<span data-testid="status">{status}</span>)
      </p>
      <Item />
    </main>
  )
}
