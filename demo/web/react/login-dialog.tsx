import { useAuth } from 'axios-reauth/react'
import { useSyncExternalStore } from 'react'
import { copy, loginReasons } from '../shared/copy'
import type { LoginDialogState } from '../shared/login-dialog'
import { CredentialsForm } from './credentials-form'
import { useDemo } from './hooks'

const closed: LoginDialogState = { open: false, reason: undefined, opened: 0 }
const noSubscription = () => () => {}
const neverOpen = () => closed

/**
 * The "login dialog" mode: the session is over, yet the page stays; every request waits behind
 * this dialog. Another tab's dialog shows here as a banner: one dialog across the tabs.
 */
export function LoginDialog() {
  const { loginDialog } = useDemo().demo
  const { status } = useAuth()
  const { open, reason } = useSyncExternalStore(loginDialog?.subscribe ?? noSubscription, loginDialog?.getState ?? neverOpen)
  if (loginDialog && open) {
    return (
      <div className="dialog-backdrop">
        <CredentialsForm
          title="Sign in again"
          className="card login-card dialog"
          testId="relogin-dialog"
          dialog
          submitTestId="relogin-submit"
          signIn={loginDialog.submit}
          buttons={
            <button type="button" data-testid="relogin-cancel" onClick={() => loginDialog.cancel()}>
              Close
            </button>
          }
        >
          {reason && <p className="reason">{loginReasons[reason] ?? reason}</p>}
          <p className="muted">{copy.relogin}</p>
        </CredentialsForm>
      </div>
    )
  }
  if (!loginDialog || status !== 'reauthenticating') return null
  return (
    <p className="relogin-elsewhere" data-testid="relogin-elsewhere">
      {copy.reloginElsewhere}
    </p>
  )
}
