'use client'
import { useAuth } from 'axios-reauth/react'

export function SessionBadge() {
  const { status, isExpiring, logout } = useAuth()
  return (
    <p>
      Session: <strong>{status}</strong>
      {isExpiring ? ' (expiring…)' : ''} <button onClick={logout}>Sign out</button>
    </p>
  )
}
