import { useAuth } from 'axios-reauth/react'
import { useEffect } from 'react'
import { copy } from '../shared/copy'
import { Dashboard } from './dashboard'
import { useDemo, useRoute } from './hooks'
import { LoginDialog } from './login-dialog'
import { LoginPage } from './login-page'
import { PageHeader } from './page-header'

/** Two routes, `/` and `/login`, switched on the URL's hash. */
export function App() {
  const { router } = useDemo()
  const route = useRoute()
  const { isAuthenticated, status } = useAuth()
  // Signing in again (the login dialog mode) keeps the page: its requests wait behind the dialog.
  const hasSession = isAuthenticated || status === 'reauthenticating'
  const showLogin = route.path === '/login' || !hasSession

  // No session (first visit, signed out): the app's page is the login page.
  useEffect(() => {
    if (!hasSession && route.path !== '/login') router.replace('/login')
  }, [hasSession, route.path, router])

  return (
    <div className="page">
      <PageHeader />
      <section className="intro">
        <h2>What you are looking at</h2>
        <p>{copy.intro}</p>
      </section>
      {showLogin ? <LoginPage /> : <Dashboard />}
      <LoginDialog />
    </div>
  )
}
