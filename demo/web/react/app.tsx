import { useAuth } from 'axios-reauth/react'
import { useEffect } from 'react'
import { copy } from '../shared/copy'
import { Dashboard } from './dashboard'
import { useDemo, useRoute } from './hooks'
import { LoginPage } from './login-page'
import { PageHeader } from './page-header'

/** Two routes, `/` and `/login`, switched on the URL's hash. */
export function App() {
  const { router } = useDemo()
  const route = useRoute()
  const { isAuthenticated } = useAuth()
  const showLogin = route.path === '/login' || !isAuthenticated

  // No session (first visit, signed out): the app's page is the login page.
  useEffect(() => {
    if (!isAuthenticated && route.path !== '/login') router.replace('/login')
  }, [isAuthenticated, route.path, router])

  return (
    <div className="page">
      <PageHeader />
      <section className="intro">
        <h2>What you are looking at</h2>
        <p>{copy.intro}</p>
      </section>
      {showLogin ? <LoginPage /> : <Dashboard />}
    </div>
  )
}
