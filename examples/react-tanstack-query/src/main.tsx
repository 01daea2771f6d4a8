import { QueryClientProvider } from '@tanstack/react-query'
import { AuthProvider } from 'axios-reauth/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { auth } from './api'
import { App } from './app'
import { createQueryClient, syncQueriesWithSession } from './query-client'

const queryClient = createQueryClient()
syncQueriesWithSession(auth, queryClient)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthProvider client={auth}>
        <App />
      </AuthProvider>
    </QueryClientProvider>
  </StrictMode>,
)
