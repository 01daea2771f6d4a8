import { useAuth } from 'axios-reauth/react'
import { useEffect, useState, type FormEvent } from 'react'
import { copy, loginReasons } from '../shared/copy'
import { useDemo, useDemoState, useTimeline } from './hooks'
import { TimelineView } from './timeline-view'

/** Reached through `onLoginRequired` (or with no session yet); back to the app once signed in. */
export function LoginPage() {
  const { demo, router } = useDemo()
  const { lastLoginReason } = useDemoState()
  const { run } = useTimeline()
  const { isAuthenticated } = useAuth()
  const [username, setUsername] = useState('ada')
  const [password, setPassword] = useState('demo')
  const [problem, setProblem] = useState<string>()
  const [pending, setPending] = useState(false)

  // Signed in here, or in another tab (its tokens arrive through the storage event).
  useEffect(() => {
    if (isAuthenticated) router.replace('/')
  }, [isAuthenticated, router])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setPending(true)
    setProblem(undefined)
    demo.login(username, password).catch((error: unknown) => {
      setProblem(error instanceof Error ? error.message : String(error))
      setPending(false)
    })
  }

  return (
    <main className="login" data-testid="login-page">
      <form className="card login-card" onSubmit={submit}>
        <h2>Sign in</h2>
        {lastLoginReason && (
          <p className="reason" data-testid="login-reason">
            {loginReasons[lastLoginReason] ?? lastLoginReason}
          </p>
        )}
        <p className="muted">{copy.login}</p>
        <label>
          User name
          <input value={username} onChange={(event) => setUsername(event.target.value)} autoComplete="username" />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(event) => setPassword(event.target.value)} autoComplete="current-password" />
        </label>
        <button className="primary" type="submit" data-testid="login-submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
        {problem && <p className="problem">{problem}</p>}
      </form>
      {run && (
        <div className="login-timeline">
          <h3 className="muted">What just happened</h3>
          <TimelineView showLegend={false} />
        </div>
      )}
    </main>
  )
}
