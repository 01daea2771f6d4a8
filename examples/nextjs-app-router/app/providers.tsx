'use client'
// axios-reauth/react is a client entry (its bundle starts with 'use client'): hooks and the
// provider run in the browser, so the client is created here, once per tab.
import { AuthProvider } from 'axios-reauth/react'
import { useState, type ReactNode } from 'react'
import { createBrowserApi } from '../lib/browser-auth'

export function Providers({ children }: { children: ReactNode }) {
  // useState's initializer runs once per mounted tree, in the browser's render: never shared.
  const [{ auth }] = useState(createBrowserApi)
  return <AuthProvider client={auth}>{children}</AuthProvider>
}
