import { useAuth } from 'axios-reauth/react'
import { useEffect } from 'react'
import { copy, loginReasons } from '../shared/copy'
import { CredentialsForm } from './credentials-form'
import { useDemo, useDemoState, useTimeline } from './hooks'
import { TimelineView } from './timeline-view'

/** Reached through `onLoginRequired` (or with no session yet); back to the app once signed in. */
export function LoginPage() {
  const { demo, router } = useDemo()
  const { lastLoginReason } = useDemoState()
  const { run } = useTimeline()
  const { isAuthenticated } = useAuth()

  // Signed in here, or in another tab (its tokens arrive through the storage event).
  useEffect(() => {
    if (isAuthenticated) router.replace('/')
  }, [isAuthenticated, router])

  return (
    <main className="login" data-testid="login-page">
      <CredentialsForm title="Sign in" submitTestId="login-submit" signIn={demo.login}>
        {lastLoginReason && (
          <p className="reason" data-testid="login-reason">
            {loginReasons[lastLoginReason] ?? lastLoginReason}
          </p>
        )}
        <p className="muted">{copy.login}</p>
      </CredentialsForm>
      {run && (
        <div className="login-timeline">
          <h3 className="muted">What just happened</h3>
          <TimelineView showLegend={false} />
        </div>
      )}
    </main>
  )
}
