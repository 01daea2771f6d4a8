import { useAuth } from 'axios-reauth/react'
import { copy } from '../shared/copy'
import { useDemoState } from './hooks'

/** Title, the React/Vue switch, and where the session stands. */
export function PageHeader() {
  const { status, claims, isAuthenticated, logout } = useAuth()
  const { loginRequiredCalls } = useDemoState()
  return (
    <header className="page-header">
      <h1>
        {copy.title} <span className="subtitle">{copy.subtitle}</span>
      </h1>
      <nav className="switch" aria-label="Framework">
        <a href="/" aria-current="page">React</a>
        <a href="/vue/">Vue</a>
      </nav>
      <div className="who">
        <span className="chip" title="How often the library called onLoginRequired on this page">
          onLoginRequired <b data-testid="login-required-count">{loginRequiredCalls}</b>
        </span>
        <span className={`status status-${status}`} data-testid="status">{status}</span>
        {isAuthenticated && (
          <>
            <span className="muted">signed in as <b>{String(claims?.sub ?? '?')}</b></span>
            <button className="link" onClick={logout}>Sign out</button>
          </>
        )}
      </div>
    </header>
  )
}
